/**
 * Contract tests: the local Firestore (Firebase emulator when it can run, else the
 * @firestore-emulator/server stand-in) driven by the real @google-cloud/firestore SDK.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FieldValue, Firestore, Timestamp } from '@google-cloud/firestore';
import { resetFirestoreProject, startFirestore } from '../src/firestore/start-firestore.js';

const local = await startFirestore();
const isolationNote = local.isolatesTransactions
  ? ''
  : ` [skipped: ${local.kind} does not isolate concurrent transactions; Firebase emulator not used: ${local.reason ?? 'unknown'}]`;

// One project per file: isolation from other files sharing the emulator, and an easy reset.
const projectId = `test-${randomUUID()}`;
const previousHost = process.env.FIRESTORE_EMULATOR_HOST;
process.env.FIRESTORE_EMULATOR_HOST = local.hostPort;
const db = new Firestore({ projectId });

afterEach(async () => {
  await local.reset(projectId);
});

afterAll(async () => {
  await db.terminate();
  await local.close();
  if (previousHost === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
  else process.env.FIRESTORE_EMULATOR_HOST = previousHost;
});

function grpcCode(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number' ? error.code : undefined;
}

describe('startFirestore', () => {
  it('when started, then it says which Firestore runs and why, and answers on hostPort', () => {
    expect(['firebase-emulator', 'firestore-emulator-server']).toContain(local.kind);
    expect(local.hostPort).toBe(`${local.host}:${local.port}`);
    expect(local.port).toBeGreaterThan(0);
    if (local.kind === 'firestore-emulator-server') {
      expect(local.isolatesTransactions).toBe(false);
      expect(local.reason).toBeTruthy();
    } else {
      expect(local.isolatesTransactions).toBe(true);
    }
  });

  it('when started with preferReal false, then the stand-in runs and the reason says so', async () => {
    const other = await startFirestore({ preferReal: false });
    try {
      expect(other.kind).toBe('firestore-emulator-server');
      expect(other.reason).toBe('preferReal: false');
      expect(other.port).not.toBe(local.port);
    } finally {
      await other.close();
    }
  });

  it('when a project is reset through the HTTP admin route, then its documents are gone and other projects keep theirs', async () => {
    const otherProject = `test-${randomUUID()}`;
    const otherDb = new Firestore({ projectId: otherProject });
    try {
      await db.doc('things/a').set({ n: 1 });
      await otherDb.doc('things/a').set({ n: 2 });
      await resetFirestoreProject(local.adminUrl, projectId);
      expect((await db.doc('things/a').get()).exists).toBe(false);
      expect((await otherDb.doc('things/a').get()).data()).toEqual({ n: 2 });
    } finally {
      await local.reset(otherProject);
      await otherDb.terminate();
    }
  });
});

describe('documents and queries', () => {
  it('when a document is set, then get returns it', async () => {
    await db.doc('leadThreads/cthr_1').set({ status: 'new', attempts: 0, tags: ['a', 'b'], nested: { x: 1 } });
    const snap = await db.doc('leadThreads/cthr_1').get();
    expect(snap.exists).toBe(true);
    expect(snap.data()).toEqual({ status: 'new', attempts: 0, tags: ['a', 'b'], nested: { x: 1 } });
  });

  it('when a document is updated, then only the named fields change', async () => {
    const ref = db.doc('leadThreads/cthr_2');
    await ref.set({ status: 'new', attempts: 0, keep: true });
    await ref.update({ status: 'queued', attempts: FieldValue.increment(1) });
    expect((await ref.get()).data()).toEqual({ status: 'queued', attempts: 1, keep: true });
  });

  it('when a missing document is updated, then it fails with NOT_FOUND', async () => {
    const error = await db
      .doc('leadThreads/missing')
      .update({ status: 'x' })
      .catch((e: unknown) => e);
    expect(grpcCode(error)).toBe(5);
  });

  it('when set with merge, then existing fields are kept', async () => {
    const ref = db.doc('leadThreads/cthr_merge');
    await ref.set({ a: 1, b: 1 });
    await ref.set({ b: 2, c: 3 }, { merge: true });
    expect((await ref.get()).data()).toEqual({ a: 1, b: 2, c: 3 });
  });

  it('when set without merge (also in a transaction), then the document is replaced: fields it no longer has are gone', async () => {
    const ref = db.doc('leadThreads/cthr_replace');
    await ref.set({ a: 1, nested: { x: 1, y: 2 } });
    await ref.set({ b: 1, nested: { y: 3 } });
    expect((await ref.get()).data()).toEqual({ b: 1, nested: { y: 3 } });
    await db.runTransaction(async (tx) => {
      tx.set(ref, { c: 1 });
    });
    expect((await ref.get()).data()).toEqual({ c: 1 });
  });

  it('when a document is deleted, then get reports it missing', async () => {
    const ref = db.doc('leadThreads/cthr_3');
    await ref.set({ status: 'new' });
    await ref.delete();
    expect((await ref.get()).exists).toBe(false);
  });

  it('when queried with where, orderBy and limit, then the matching documents come back in order', async () => {
    const col = db.collection('leadThreads');
    await Promise.all([
      col.doc('t1').set({ status: 'sent', at: 3 }),
      col.doc('t2').set({ status: 'queued', at: 1 }),
      col.doc('t3').set({ status: 'queued', at: 2 }),
      col.doc('t4').set({ status: 'queued', at: 4 }),
    ]);
    const snap = await col.where('status', '==', 'queued').orderBy('at', 'asc').limit(2).get();
    expect(snap.docs.map((d) => d.id)).toEqual(['t2', 't3']);
    const count = await col.where('status', '==', 'queued').count().get();
    expect(count.data().count).toBe(3);
  });

  it('when a subcollection document is written, then it is read back under its parent', async () => {
    await db.doc('leadThreads/t1/attempts/a1').set({ ok: true });
    const snap = await db.collection('leadThreads/t1/attempts').get();
    expect(snap.docs.map((d) => d.id)).toEqual(['a1']);
  });
});

describe('field types', () => {
  it('when Timestamp and Date fields are written, then they read back as equal Timestamps', async () => {
    const at = Timestamp.fromMillis(Date.UTC(2025, 0, 2, 3, 4, 5, 678));
    const precise = new Timestamp(1_700_000_000, 123_456_000);
    const date = new Date(Date.UTC(2030, 5, 1));
    await db.doc('times/t').set({ at, precise, date });
    const data = (await db.doc('times/t').get()).data();
    expect(data?.at).toBeInstanceOf(Timestamp);
    expect((data?.at as Timestamp).isEqual(at)).toBe(true);
    expect((data?.precise as Timestamp).isEqual(precise)).toBe(true);
    expect((data?.date as Timestamp).toMillis()).toBe(date.getTime());
  });

  it('when a Timestamp is compared in a query, then the range filter applies', async () => {
    const now = Date.now();
    await db.doc('times/old').set({ expiresAt: Timestamp.fromMillis(now - 60_000) });
    await db.doc('times/new').set({ expiresAt: Timestamp.fromMillis(now + 60_000) });
    const snap = await db.collection('times').where('expiresAt', '<', Timestamp.fromMillis(now)).get();
    expect(snap.docs.map((d) => d.id)).toEqual(['old']);
  });

  it('when FieldValue.serverTimestamp() is written, then a Timestamp near now reads back', async () => {
    const before = Date.now();
    await db.doc('times/server').set({ createdAt: FieldValue.serverTimestamp() });
    const value = (await db.doc('times/server').get()).get('createdAt') as unknown;
    expect(value).toBeInstanceOf(Timestamp);
    const millis = (value as Timestamp).toMillis();
    expect(millis).toBeGreaterThanOrEqual(before - 5_000);
    expect(millis).toBeLessThanOrEqual(Date.now() + 5_000);
  });
});

describe('transactions', () => {
  it('when a transaction reads, modifies and writes, then the change is committed', async () => {
    const ref = db.doc('counters/c');
    await ref.set({ n: 1 });
    const result = await db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      const n = (snap.get('n') as number) + 1;
      tx.update(ref, { n, updatedAt: FieldValue.serverTimestamp() });
      return n;
    });
    expect(result).toBe(2);
    expect((await ref.get()).get('n')).toBe(2);
  });

  it('when sequential transactions increment a counter, then none is lost', async () => {
    const ref = db.doc('counters/seq');
    await ref.set({ n: 0 });
    for (let i = 0; i < 5; i++) {
      await db.runTransaction(async (tx) => {
        const snap = await tx.get(ref);
        tx.set(ref, { n: (snap.get('n') as number) + 1 });
      });
    }
    expect((await ref.get()).get('n')).toBe(5);
  });

  it('when a transaction callback throws, then nothing is written', async () => {
    const ref = db.doc('counters/rollback');
    await ref.set({ n: 1 });
    await expect(
      db.runTransaction(async (tx) => {
        await tx.get(ref);
        tx.set(ref, { n: 99 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await ref.get()).get('n')).toBe(1);
  });

  it('when 20 concurrent transactions tx.create the same document, then exactly one succeeds and the rest get ALREADY_EXISTS', async () => {
    const ref = db.doc('leases/cthr_race');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.runTransaction(
          async (tx) => {
            tx.create(ref, { leaseId: `lease-${i}` });
            return i;
          },
          { maxAttempts: 5 },
        ),
      ),
    );
    const winners = outcomes.filter((o): o is PromiseFulfilledResult<number> => o.status === 'fulfilled');
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) expect(grpcCode(loser.reason)).toBe(6);
    expect((await ref.get()).get('leaseId')).toBe(`lease-${winners[0]?.value}`);
  });

  it('when create() is called on an existing document outside a transaction, then it fails with ALREADY_EXISTS', async () => {
    const ref = db.doc('leases/plain');
    await ref.create({ leaseId: 'first' });
    const error = await ref.create({ leaseId: 'second' }).catch((e: unknown) => e);
    expect(grpcCode(error)).toBe(6);
    expect((await ref.get()).get('leaseId')).toBe('first');
  });

  /** Two read-modify-write increments forced to overlap: both read before either writes. */
  async function interleavedIncrements(path: string): Promise<number> {
    const ref = db.doc(path);
    await ref.set({ n: 0 });
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const increment = (): Promise<void> =>
      db.runTransaction(async (tx) => {
        const snap = await tx.get(ref);
        arrived += 1;
        if (arrived === 2) release();
        // On a retry (after ABORTED) the barrier is already open.
        await Promise.race([bothRead, new Promise((resolve) => setTimeout(resolve, 2_000))]);
        tx.update(ref, { n: (snap.get('n') as number) + 1 });
      });
    await Promise.all([increment(), increment()]);
    return (await ref.get()).get('n') as number;
  }

  it.skipIf(!local.isolatesTransactions)(
    `when two concurrent transactions increment the same counter, then both increments count${isolationNote}`,
    async () => {
      expect(await interleavedIncrements('counters/concurrent')).toBe(2);
    },
  );

  it.runIf(local.kind === 'firestore-emulator-server')(
    'when two transactions interleave on the stand-in, then one increment is lost (the documented no-isolation caveat)',
    async () => {
      // If this starts failing, the stand-in gained isolation: update docs/local-cloud.md.
      expect(await interleavedIncrements('counters/lost-update')).toBe(1);
    },
  );
});
