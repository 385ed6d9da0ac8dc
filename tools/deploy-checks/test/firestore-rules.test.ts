/**
 * infra/firestore.rules against the Firebase Firestore emulator (@firebase/rules-unit-testing):
 * no browser or mobile client reads or writes anything; only the services, through IAM (which
 * bypasses rules), use Firestore. The emulator is the only thing that evaluates rules, so these
 * tests run when it can (Java 21+ and its jar cached, detected without network by tools/dev) and
 * are reported as skipped, with the reason, when it cannot.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertFails, assertSucceeds, initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';
import { collection, doc, getDoc, getDocs, query, setDoc, where } from 'firebase/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFirebaseEmulator, startFirestore, type LocalFirestore } from '@lead-intake/dev-tools/firestore/start-firestore';

const rules = readFileSync(fileURLToPath(new URL('../../../infra/firestore.rules', import.meta.url)), 'utf8');
const detection = detectFirebaseEmulator();
const unavailable = detection.ok ? undefined : `Firestore rules tests skipped: ${detection.reason}`;
if (unavailable) process.stderr.write(`${unavailable}\n`);

describe('infra/firestore.rules on the Firebase Firestore emulator', () => {
  let firestore: LocalFirestore | undefined;
  let env: RulesTestEnvironment | undefined;
  let startProblem: string | undefined;

  beforeAll(async () => {
    if (unavailable) return;
    firestore = await startFirestore({ preferReal: true });
    if (firestore.kind !== 'firebase-emulator') {
      startProblem = `Firestore rules tests skipped: ${firestore.reason ?? 'the Firebase emulator did not start'}`;
      process.stderr.write(`${startProblem}\n`);
      return;
    }
    env = await initializeTestEnvironment({ projectId: 'rules-test', firestore: { host: firestore.host, port: firestore.port, rules } });
    await env.withSecurityRulesDisabled(async (admin) => {
      await setDoc(doc(admin.firestore(), 'chatThreads/cthr_rules'), { owner: 'anon_rules_owner', sortKey: '1' });
      await setDoc(doc(admin.firestore(), 'chatThreads/cthr_rules/items/item_1'), { type: 'user_message', json: '{}' });
      await setDoc(doc(admin.firestore(), 'leadThreads/cthr_rules'), { state: 'open' });
    });
  });

  afterAll(async () => {
    await env?.cleanup();
    await firestore?.close();
  });

  const ready = (skip: (note?: string) => never): RulesTestEnvironment => {
    if (unavailable ?? startProblem) skip(unavailable ?? startProblem);
    if (!env) throw new Error('no rules test environment');
    return env;
  };

  it('when the rules are read, then they deny everything to every client', () => {
    expect(rules).toMatch(/match \/\{document=\*\*\}\s*\{\s*allow read, write: if false;\s*\}/);
  });

  it('when a visitor who is not signed in reads or writes a thread, then Firestore refuses', async ({ skip }) => {
    const db = ready(skip).unauthenticatedContext().firestore();
    await assertFails(getDoc(doc(db, 'chatThreads/cthr_rules')));
    await assertFails(setDoc(doc(db, 'chatThreads/cthr_new'), { owner: 'anon_x' }));
  });

  it('when a signed-in user reads their "own" thread, its items or lists threads, then Firestore refuses', async ({ skip }) => {
    const db = ready(skip).authenticatedContext('anon_rules_owner').firestore();
    await assertFails(getDoc(doc(db, 'chatThreads/cthr_rules')));
    await assertFails(getDocs(collection(db, 'chatThreads/cthr_rules/items')));
    await assertFails(getDocs(query(collection(db, 'chatThreads'), where('owner', '==', 'anon_rules_owner'))));
  });

  it('when a client touches the lead records, then Firestore refuses', async ({ skip }) => {
    const db = ready(skip).authenticatedContext('someone').firestore();
    await assertFails(getDoc(doc(db, 'leadThreads/cthr_rules')));
    await assertFails(setDoc(doc(db, 'leadThreads/cthr_rules'), { state: 'sent' }));
  });

  it('when the services write with admin (IAM) credentials, then the rules do not stand in the way', async ({ skip }) => {
    await ready(skip).withSecurityRulesDisabled(async (admin) => {
      await assertSucceeds(getDoc(doc(admin.firestore(), 'leadThreads/cthr_rules')));
    });
  });
});
