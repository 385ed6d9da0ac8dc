import { randomUUID } from 'node:crypto';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import { FirestoreLeadRecordStore } from '../../src/adapters/firestore-lead-record-store.js';
import type { LeadPolicy } from '../../src/domain/lead-machine.js';

export const TEST_POLICY: LeadPolicy = {
  leaseMs: 60_000,
  cooldownMs: 60_000,
  retentionMs: 86_400_000,
  autoDelayMs: 0,
  followUpWindowMs: 30_000,
};

/**
 * The lead record store on the local Firestore, in a collection of its own, on a clock the test
 * moves (`clock.now`): leases last 60 s, a failure cools down 60 s. `db.terminate()` when done.
 */
export function localLeadRecordStore() {
  const db = localFirestoreClient(useProvided('firestore'));
  const clock = { now: 1_800_000_000_000 };
  const collection = `leases_${randomUUID().slice(0, 8)}`;
  const store = new FirestoreLeadRecordStore(db, { collection, policy: TEST_POLICY, now: () => clock.now });
  return { db, store, clock, collection };
}
