import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { startFirestore, type LocalFirestore } from '../src/firestore/start-firestore.js';
import { localFirestoreClient } from '../src/testing/firestore-client.js';

let firestore: LocalFirestore;
let db: Firestore;
beforeAll(async () => {
  firestore = await startFirestore({ preferReal: false });
  db = localFirestoreClient(firestore);
});
afterAll(async () => {
  await db.terminate();
  await firestore.close();
});

/**
 * The call's outcome, or "no answer" when there is none after 15 s (it used to be none at all).
 * The client itself retries a read that fails before its first answer, for some 7 s.
 */
const outcome = (call: Promise<unknown>): Promise<string> =>
  Promise.race([
    call.then(
      () => 'ok',
      (error: { code?: number }) => `error ${error.code}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('no answer'), 15_000).unref()),
  ]);

const calls: Array<[string, (id: string) => Promise<unknown>]> = [
  ['get a document', (id) => db.collection('things').doc(id).get()],
  ['write a document', (id) => db.collection('things').doc(id).set({ a: 1 })],
  ['create a document', (id) => db.collection('things').doc(id).create({ a: 1 })],
  ['query under a document', (id) => db.collection('things').doc(id).collection('items').get()],
  ['get from a collection', (id) => db.collection(id).doc('x').get()],
  ['delete a document', (id) => db.collection('things').doc(id).delete()],
];

describe('the Firestore stand-in and ids it cannot keep', () => {
  it('when an id is __proto__, constructor, toString, hasOwnProperty or __*__, then every call answers INVALID_ARGUMENT (Firestore reserves __*__ ids; the others are JavaScript object keys the stand-in cannot store)', async () => {
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__name__', '__anything__'];
    const answers = await Promise.all(ids.flatMap((id) => calls.map(async ([name, call]) => `${id} ${name}: ${await outcome(call(id))}`)));
    expect(answers).toEqual(ids.flatMap((id) => calls.map(([name]) => `${id} ${name}: error 3`)));
  }, 30_000);

  it('when ids are ordinary, then the same calls work', async () => {
    const answers: string[] = [];
    for (const [name, call] of calls) {
      if (name === 'create a document') await db.collection('things').doc('ordinary').delete();
      answers.push(await outcome(call('ordinary')));
    }
    expect(answers).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  });
});
