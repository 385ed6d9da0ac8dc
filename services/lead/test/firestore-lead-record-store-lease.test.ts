/** The lead record store's leases on the local Firestore: a lease taken over says so. */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { localLeadRecordStore } from './support/lead-record-store.js';

const { db, store, clock } = localLeadRecordStore();
afterAll(async () => {
  await db.terminate();
});

describe('FirestoreLeadRecordStore leases', () => {
  it('when a thread is leased for the first time, then it is no takeover; when that lease expires unused, then the next lease is a takeover', async () => {
    const threadId = `cthr_lease_${randomUUID().slice(0, 8)}`;
    const first = await store.acquire(threadId, 'idle');
    expect(first).toMatchObject({ kind: 'acquired', takeover: false, record: { attempts: 1 } });

    expect(await store.acquire(threadId, 'idle')).toEqual({ kind: 'refused', refusal: { reason: 'in_progress' } });

    clock.now += 61_000;
    const second = await store.acquire(threadId, 'pagehide');
    expect(second).toMatchObject({ kind: 'acquired', takeover: true, record: { attempts: 2, trigger: 'pagehide' } });
    if (first.kind !== 'acquired' || second.kind !== 'acquired') throw new Error('expected two leases');
    expect(second.leaseId).not.toBe(first.leaseId);
  });

  it('when a released lease is taken again, then it is no takeover', async () => {
    const threadId = `cthr_lease_${randomUUID().slice(0, 8)}`;
    const first = await store.acquire(threadId, 'idle');
    if (first.kind !== 'acquired') throw new Error('expected a lease');
    expect(await store.release(threadId, first.leaseId)).toBe(true);
    expect(await store.acquire(threadId, 'idle')).toMatchObject({ kind: 'acquired', takeover: false, record: { attempts: 2 } });
  });
});
