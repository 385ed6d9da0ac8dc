import type { LeadTriggerReason } from '@lead-intake/shared/api';

/** Triggers: the browser's four, plus the server's own delayed evaluation and an operator resend. */
export type Trigger = LeadTriggerReason | 'safety_net' | 'resend';

export type LeadState = 'leased' | 'open' | 'sent' | 'error';

/** Outcome of the last evaluation that did not send. */
export type EvaluationOutcome = 'not_ready' | 'missing_contact';

/**
 * One Firestore document per ChatKit thread. Holds lease and outcome bookkeeping only:
 * never the transcript or the customer's contact details.
 */
export interface LeadRecord {
  threadId: string;
  state: LeadState;
  /** The current lease (fencing token); null when no lease is held. */
  leaseId: string | null;
  /** Epoch ms. */
  leaseExpiresAt: number | null;
  /** Trigger the current/last lease was taken for. */
  trigger: Trigger | null;
  /** Leases taken so far. */
  attempts: number;
  lastOutcome: EvaluationOutcome | 'sent' | 'failed' | null;
  missingInfo: string[];
  /** Epoch ms of the last finished evaluation. */
  lastEvaluatedAt: number | null;
  /** Hash of the transcript the last summary was made from, and what it said. */
  summaryFingerprint: string | null;
  summaryHandoffReady: boolean | null;
  /** Epoch ms until which new attempts are refused after a final failure. */
  cooldownUntil: number | null;
  sentAt: number | null;
  sesMessageId: string | null;
  degraded: boolean;
  safetyNetScheduled: boolean;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which Firestore's TTL policy may delete the record. */
  expiresAt: number;
}

/** Trigger strength: an `auto` evaluation gates on handoff_ready, the others on contact only. */
export const isAutoTrigger = (trigger: Trigger): boolean => trigger === 'auto';

/** A thread's record before its first lease: open, nothing evaluated, nothing sent. */
export function newLeadRecord(threadId: string, now: number): LeadRecord {
  return {
    threadId,
    state: 'open',
    leaseId: null,
    leaseExpiresAt: null,
    trigger: null,
    attempts: 0,
    lastOutcome: null,
    missingInfo: [],
    lastEvaluatedAt: null,
    summaryFingerprint: null,
    summaryHandoffReady: null,
    cooldownUntil: null,
    sentAt: null,
    sesMessageId: null,
    degraded: false,
    safetyNetScheduled: false,
    createdAt: now,
    updatedAt: now,
    expiresAt: now,
  };
}
