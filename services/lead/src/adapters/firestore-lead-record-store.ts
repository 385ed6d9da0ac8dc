import { DEFAULT_DEADLINE_MS, GrpcStatus, cloudCall, grpcCode } from '@lead-intake/shared';
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import { applyLeadEvent, type LeadEvent, type LeadPolicy, type LeadStep } from '../domain/lead-machine.js';
import type { LeadRecord } from '../domain/lead-record.js';
import type { LeadRecordStore } from '../ports.js';
import { fromStored, toStored } from './stored-lead-record.js';

export interface FirestoreLeadRecordStoreOptions {
  collection: string;
  policy: LeadPolicy;
  /** Each Firestore call (a whole transaction, with its retries) gives up after this long; default 5 s. */
  deadlineMs?: number;
  now?: () => number;
}

/**
 * Adapter: one Firestore document per thread, changed only by `apply`: a transaction reads the
 * record, the domain's machine decides, the transaction writes what it returned. A record's
 * first write is `tx.create`, whose exists=false precondition lets exactly one of many concurrent
 * callers win even where transactions are not isolated (the local stand-in); the loser decides
 * again against what the winner wrote.
 */
export class FirestoreLeadRecordStore implements LeadRecordStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Firestore,
    private readonly options: FirestoreLeadRecordStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async get(threadId: string): Promise<LeadRecord | null> {
    const snapshot = await this.guard(() => this.ref(threadId).get());
    return snapshot.exists ? fromStored(threadId, snapshot.data() ?? {}) : null;
  }

  async apply<E extends LeadEvent>(threadId: string, event: E): Promise<LeadStep<E>> {
    try {
      return await this.applyOnce(threadId, event);
    } catch (error) {
      if (grpcCode(error) === GrpcStatus.ALREADY_EXISTS) return this.applyOnce(threadId, event);
      throw error;
    }
  }

  private applyOnce<E extends LeadEvent>(threadId: string, event: E): Promise<LeadStep<E>> {
    const ref = this.ref(threadId);
    return this.guard(() =>
      this.db.runTransaction(
        async (tx) => {
          const snapshot = await tx.get(ref);
          const current = snapshot.exists ? fromStored(threadId, snapshot.data() ?? {}) : null;
          const step = applyLeadEvent(threadId, current, event, this.now(), this.options.policy);
          if (step.record && step.record !== current) {
            if (current) tx.set(ref, toStored(step.record));
            else tx.create(ref, toStored(step.record));
          }
          return step;
        },
        { maxAttempts: 5 },
      ),
    );
  }

  private ref(threadId: string): DocumentReference {
    return this.db.collection(this.options.collection).doc(threadId);
  }

  /** A Firestore call within the deadline; outages become TransientError. */
  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return cloudCall('Firestore', this.options.deadlineMs ?? DEFAULT_DEADLINE_MS, operation);
  }
}
