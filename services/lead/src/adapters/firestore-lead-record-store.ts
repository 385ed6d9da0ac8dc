import { randomUUID } from 'node:crypto';
import { DEFAULT_DEADLINE_MS, GrpcStatus, grpcCode, transientGrpcCode, withDeadline } from '@lead-intake/shared';
import { Timestamp, type DocumentReference, type Firestore, type Transaction } from '@google-cloud/firestore';
import { decideLease, type LeasePolicy } from '../domain/lease-decision.js';
import { clearedForResend, newLeadRecord, type LeadRecord, type Trigger } from '../domain/lead-record.js';
import { TransientError } from '../domain/errors.js';
import type { AcquireResult, LeadRecordStore, SendStart, SentEmail } from '../ports.js';

export interface FirestoreLeadRecordStoreOptions extends LeasePolicy {
  collection: string;
  /** How long a lease is exclusive; a task must finish (or confirm the lease) within it. */
  leaseMs: number;
  /** After a final failure, new attempts are refused this long. */
  cooldownMs: number;
  /** Records expire (Firestore TTL on `expiresAt`) this long after their last update. */
  retentionMs: number;
  /** Each Firestore call (a whole transaction, with its retries) gives up after this long; default 5 s. */
  deadlineMs?: number;
  now?: () => number;
}

type StoredRecord = Omit<LeadRecord, 'expiresAt'> & { expiresAt: Timestamp; audit?: unknown[] };

/**
 * Adapter: one Firestore document per thread (its lead record), changed only inside
 * transactions. The first lease is taken with `tx.create`, whose exists=false precondition lets
 * exactly one of many concurrent callers win; every later write checks the lease id (fencing).
 */
export class FirestoreLeadRecordStore implements LeadRecordStore {
  private readonly now: () => number;

  constructor(
    private readonly db: Firestore,
    private readonly options: FirestoreLeadRecordStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** A Firestore call within the deadline; outages become TransientError. */
  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return asTransient(() => withDeadline('Firestore', this.options.deadlineMs ?? DEFAULT_DEADLINE_MS, operation));
  }

  private ref(threadId: string): DocumentReference {
    return this.db.collection(this.options.collection).doc(threadId);
  }

  async get(threadId: string): Promise<LeadRecord | null> {
    const snapshot = await this.guard(() => this.ref(threadId).get());
    return snapshot.exists ? fromStored(snapshot.data() as StoredRecord) : null;
  }

  async acquire(threadId: string, trigger: Trigger): Promise<AcquireResult> {
    try {
      return await this.tryAcquire(threadId, trigger);
    } catch (error) {
      // Another caller created the record first: decide again against what it wrote.
      if (grpcCode(error) === GrpcStatus.ALREADY_EXISTS) return this.tryAcquire(threadId, trigger);
      throw error;
    }
  }

  private tryAcquire(threadId: string, trigger: Trigger): Promise<AcquireResult> {
    const ref = this.ref(threadId);
    return this.guard(() =>
      this.db.runTransaction(
        async (tx): Promise<AcquireResult> => {
          const snapshot = await tx.get(ref);
          const current = snapshot.exists ? fromStored(snapshot.data() as StoredRecord) : null;
          const now = this.now();
          const decision = decideLease(current, trigger, now, this.options);
          if (decision.kind === 'refuse') return { kind: 'refused', refusal: decision.refusal };
          if (decision.kind === 'upgrade') {
            tx.set(ref, { trigger, updatedAt: now }, { merge: true });
            return { kind: 'refused', refusal: decision.refusal };
          }
          if (decision.kind === 'settle_unconfirmed' && current) {
            tx.set(ref, toStored({ ...current, ...unconfirmedSent(current, now), expiresAt: now + this.options.retentionMs }), {
              merge: true,
            });
            return { kind: 'refused', refusal: decision.refusal, unconfirmedSendSettled: true };
          }

          const leaseId = randomUUID();
          const record: LeadRecord = {
            ...(current ?? newLeadRecord(threadId, now)),
            state: 'leased',
            leaseId,
            leaseExpiresAt: now + this.options.leaseMs,
            trigger,
            attempts: (current?.attempts ?? 0) + 1,
            cooldownUntil: null,
            sendLeaseId: null,
            sendStartedAt: null,
            updatedAt: now,
            expiresAt: now + this.options.retentionMs,
          };
          if (current) tx.set(ref, toStored(record), { merge: true });
          else tx.create(ref, toStored(record));
          return { kind: 'acquired', leaseId, record, takeover: decision.kind === 'take' && decision.takeover };
        },
        { maxAttempts: 5 },
      ),
    );
  }

  release(threadId: string, leaseId: string): Promise<boolean> {
    return this.fenced(threadId, leaseId, (record, now) => ({
      state: record.lastOutcome === 'failed' ? 'error' : 'open',
      leaseId: null,
      leaseExpiresAt: null,
      // The attempt never ran; let the next trigger try at once.
      lastEvaluatedAt: null,
      updatedAt: now,
    }));
  }

  recordOutcome(threadId: string, leaseId: string, outcome: Parameters<LeadRecordStore['recordOutcome']>[2]): Promise<boolean> {
    return this.fenced(threadId, leaseId, (_record, now) => ({
      state: 'open',
      leaseId: null,
      leaseExpiresAt: null,
      lastOutcome: outcome.kind,
      missingInfo: outcome.missingInfo,
      lastEvaluatedAt: now,
      ...(outcome.summary ? { summaryFingerprint: outcome.summary.fingerprint, summaryHandoffReady: outcome.summary.handoffReady } : {}),
      updatedAt: now,
    }));
  }

  startSend(threadId: string, leaseId: string, send: { degraded: boolean }): Promise<SendStart> {
    return this.change(threadId, (current, now) => {
      if (!current || current.state !== 'leased' || current.leaseId !== leaseId) return { result: 'lease_lost' };
      if (current.sendLeaseId === leaseId) return { result: 'already_started' };
      return {
        result: 'started',
        patch: {
          sendLeaseId: leaseId,
          sendStartedAt: now,
          degraded: send.degraded,
          leaseExpiresAt: now + this.options.leaseMs,
          updatedAt: now,
        },
      };
    });
  }

  cancelSend(threadId: string, leaseId: string): Promise<boolean> {
    return this.change(threadId, (current, now) =>
      current?.state === 'leased' && current.sendLeaseId === leaseId
        ? { result: true, patch: { sendLeaseId: null, sendStartedAt: null, updatedAt: now } }
        : { result: false },
    );
  }

  markSent(threadId: string, leaseId: string, sent: SentEmail): Promise<boolean> {
    return this.change(threadId, (current, now) => {
      // Fenced by the send marker: only the lease that started this send may record it.
      if (!current || current.sendLeaseId !== leaseId) return { result: false };
      if (current.state === 'sent') {
        // A follow-up with SES's message id confirms a send recorded as unconfirmed; else nothing to do.
        const confirms = current.sendUncertainty !== null && sent.messageId !== null && sent.uncertainty === null;
        return confirms
          ? { result: true, patch: { sesMessageId: sent.messageId, sendUncertainty: null, updatedAt: now } }
          : { result: true };
      }
      if (current.state !== 'leased' || current.leaseId !== leaseId) return { result: false };
      return {
        result: true,
        patch: {
          state: 'sent',
          leaseId: null,
          leaseExpiresAt: null,
          lastOutcome: 'sent',
          missingInfo: [],
          lastEvaluatedAt: now,
          sentAt: now,
          sesMessageId: sent.messageId,
          sendUncertainty: sent.uncertainty,
          updatedAt: now,
        },
      };
    });
  }

  markFailed(threadId: string, leaseId: string): Promise<boolean> {
    return this.fenced(threadId, leaseId, (_record, now) => ({
      state: 'error',
      leaseId: null,
      leaseExpiresAt: null,
      lastOutcome: 'failed',
      lastEvaluatedAt: now,
      cooldownUntil: now + this.options.cooldownMs,
      sendLeaseId: null,
      sendStartedAt: null,
      updatedAt: now,
    }));
  }

  async markSafetyNetScheduled(threadId: string): Promise<void> {
    await this.guard(() => this.ref(threadId).update({ safetyNetScheduled: true }));
  }

  async resetForResend(threadId: string, audit: { by: string; reason: string }): Promise<LeadRecord | null> {
    const ref = this.ref(threadId);
    return this.guard(() =>
      this.db.runTransaction(async (tx) => {
        const snapshot = await tx.get(ref);
        if (!snapshot.exists) return null;
        const stored = snapshot.data() as StoredRecord;
        const current = fromStored(stored);
        const now = this.now();
        const next: LeadRecord = { ...clearedForResend(current, now), expiresAt: now + this.options.retentionMs };
        tx.set(
          ref,
          {
            ...toStored(next),
            // Appended inside the transaction (no arrayUnion: the local Firestore lacks transforms).
            audit: [
              ...(Array.isArray(stored.audit) ? stored.audit : []),
              {
                action: 'resend',
                at: Timestamp.fromMillis(now),
                by: audit.by,
                reason: audit.reason,
                previousState: current.state,
                previousSentAt: current.sentAt,
                previousMessageId: current.sesMessageId,
                previousSendUncertainty: current.sendUncertainty,
              },
            ],
          },
          { merge: true },
        );
        return next;
      }),
    );
  }

  /** Applies `change` only while `leaseId` is the thread's current lease. */
  private fenced(threadId: string, leaseId: string, change: (record: LeadRecord, now: number) => Partial<LeadRecord>): Promise<boolean> {
    return this.change(threadId, (current, now) =>
      current?.state === 'leased' && current.leaseId === leaseId ? { result: true, patch: change(current, now) } : { result: false },
    );
  }

  /** One transaction: reads the record, lets `decide` answer and (with a patch) change it. */
  private change<T>(
    threadId: string,
    decide: (current: LeadRecord | null, now: number) => { result: T; patch?: Partial<LeadRecord> },
  ): Promise<T> {
    const ref = this.ref(threadId);
    return this.guard(() =>
      this.db.runTransaction(async (tx: Transaction) => {
        const snapshot = await tx.get(ref);
        const current = snapshot.exists ? fromStored(snapshot.data() as StoredRecord) : null;
        const now = this.now();
        const { result, patch } = decide(current, now);
        if (current && patch) tx.set(ref, toStored({ ...current, ...patch, expiresAt: now + this.options.retentionMs }), { merge: true });
        return result;
      }),
    );
  }
}

/** A send that started and was never recorded: sent as far as anyone can tell, never re-sent. */
function unconfirmedSent(record: LeadRecord, now: number): Partial<LeadRecord> {
  return {
    state: 'sent',
    leaseId: null,
    leaseExpiresAt: null,
    lastOutcome: 'sent',
    missingInfo: [],
    lastEvaluatedAt: now,
    sentAt: record.sendStartedAt ?? now,
    sendUncertainty: 'task_interrupted',
    updatedAt: now,
  };
}

function toStored(record: LeadRecord): StoredRecord {
  return { ...record, expiresAt: Timestamp.fromMillis(record.expiresAt) };
}

function fromStored(stored: StoredRecord): LeadRecord {
  const { audit: _audit, ...rest } = stored;
  return { ...newLeadRecord(rest.threadId, rest.createdAt), ...rest, expiresAt: rest.expiresAt.toMillis() };
}

/** Firestore outages become TransientError so the caller answers 503 / the task retries. */
async function asTransient<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const transient = transientGrpcCode(error);
    if (transient !== undefined)
      throw new TransientError(`Firestore unavailable (gRPC ${transient}): ${(error as Error).message}`, { cause: error });
    throw error;
  }
}
