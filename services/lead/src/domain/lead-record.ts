import { leadTriggerReasons } from '@lead-intake/shared/api';

/** Triggers: the browser's four, plus the server's own delayed evaluation and an operator resend. */
export const triggers = [...leadTriggerReasons, 'safety_net', 'resend'] as const;
export type Trigger = (typeof triggers)[number];

type LeadState = 'leased' | 'open' | 'sent' | 'error';

/**
 * Why a `sent` record is not confirmed by a message id: SES's reply never came back
 * (`ses_reply_lost`), or a task found its own lease's send started and never recorded
 * (`task_interrupted`: a crash, a lost Firestore write). Either way the email is never re-sent
 * automatically; an operator checks the inbox and resends if it never arrived.
 */
export const sendUncertainties = ['ses_reply_lost', 'task_interrupted'] as const;
export type SendUncertainty = (typeof sendUncertainties)[number];

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
  /**
   * The lease whose task started sending (written before SES is called, cleared when SES proved
   * it took nothing): a task finding its own lease here never sends again.
   */
  sendLeaseId: string | null;
  /** Epoch ms the send started. */
  sendStartedAt: number | null;
  /** Set on a `sent` record SES never confirmed; null when confirmed. */
  sendUncertainty: SendUncertainty | null;
  safetyNetScheduled: boolean;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which Firestore's TTL policy may delete the record. */
  expiresAt: number;
}

/** Trigger strength: an `auto` evaluation gates on handoff_ready, the others on contact only. */
export const isAutoTrigger = (trigger: Trigger): boolean => trigger === 'auto';

/** The current lease's task has started sending and not recorded the outcome yet. */
export const sendStartedUnderLease = (record: LeadRecord): boolean =>
  record.state === 'leased' && record.leaseId !== null && record.sendLeaseId === record.leaseId;

/** What an operator needs to know of the shop's email (`npm run lead -- status`). */
export type Delivery = 'confirmed' | 'unconfirmed' | 'sending' | 'none';

export function deliveryOf(record: LeadRecord): Delivery {
  if (record.state === 'sent') return record.sendUncertainty === null ? 'confirmed' : 'unconfirmed';
  return sendStartedUnderLease(record) ? 'sending' : 'none';
}

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
    sendLeaseId: null,
    sendStartedAt: null,
    sendUncertainty: null,
    safetyNetScheduled: false,
    createdAt: now,
    updatedAt: now,
    expiresAt: now,
  };
}

/**
 * An operator's resend: a fresh record (no lease, outcome, cooldown or send), keeping only what
 * was learnt about the conversation and its history (trigger, attempts, summary, safety net).
 */
export function clearedForResend(record: LeadRecord, now: number): LeadRecord {
  return {
    ...newLeadRecord(record.threadId, record.createdAt),
    trigger: record.trigger,
    attempts: record.attempts,
    missingInfo: record.missingInfo,
    summaryFingerprint: record.summaryFingerprint,
    summaryHandoffReady: record.summaryHandoffReady,
    safetyNetScheduled: record.safetyNetScheduled,
    updatedAt: now,
    expiresAt: record.expiresAt,
  };
}
