import { leadTriggerReasons, type LeadSummary } from '@lead-intake/shared/api';

/** Triggers: the browser's four, plus the server's own delayed evaluation and an operator resend. */
export const triggers = [...leadTriggerReasons, 'safety_net', 'resend'] as const;
export type Trigger = (typeof triggers)[number];

/**
 * How much a trigger asks for: `auto` (after each answer) emails only when the summary says
 * handoff_ready; the customer leaving (`idle`, `pagehide`, `chat_closed`) or the server's safety
 * net email on contact alone; an operator's `resend` overrides every reuse and cooldown.
 */
export function triggerStrength(trigger: Trigger): number {
  switch (trigger) {
    case 'auto':
      return 0;
    case 'idle':
    case 'pagehide':
    case 'chat_closed':
    case 'safety_net':
      return 1;
    case 'resend':
      return 2;
  }
}

export const isAutoTrigger = (trigger: Trigger): boolean => trigger === 'auto';

/** After the summary: `auto` emails only when handoff_ready; the other triggers email on contact. */
export const shouldSend = (trigger: Trigger, handoffReady: boolean): boolean => !isAutoTrigger(trigger) || handoffReady;

/**
 * Why a sent email is not confirmed by a message id: SES's reply never came back
 * (`ses_reply_lost`), or a task found its own lease's send started and never recorded
 * (`task_interrupted`: a crash, a lost Firestore write). Either way the email is never re-sent
 * automatically; an operator checks the inbox and resends if it never arrived.
 */
export const sendUncertainties = ['ses_reply_lost', 'task_interrupted'] as const;
export type SendUncertainty = (typeof sendUncertainties)[number];

/** What a lease is for: the lead email, or a follow-up with what the customer wrote after it. */
export type LeasePurpose = 'lead' | 'follow_up';

/**
 * The conversation's version: how many customer messages its thread has had. Every outcome
 * belongs to the version it read; a trigger for a newer version always evaluates again.
 */
export type ConversationVersion = number;

/** "This lease is sending": written before SES is called, so no retry or later lease sends again. */
interface SendMarker {
  /**
   * This send attempt (a Cloud Tasks duplicate delivery runs the same lease twice): only the
   * attempt that wrote the marker may take it back.
   */
  sendId: string;
  startedAt: number;
  /** The version the email was built from. */
  version: ConversationVersion;
  /** The customer messages the email carries (exactly-once bookkeeping). */
  messageIds: string[];
  degraded: boolean;
  /** The email's subject (the lead email's is what follow-ups reply to). */
  subject: string;
}

/** Exclusive right to evaluate (and email) the thread for a while; its id fences every write. */
export interface Lease {
  id: string;
  purpose: LeasePurpose;
  /** The trigger it was taken for; an `auto` lead lease is raised when the customer leaves. */
  trigger: Trigger;
  /** The version the trigger saw. */
  version: ConversationVersion;
  takenAt: number;
  /** Epoch ms; past it a trigger may take the thread over (unless a send started). */
  expiresAt: number;
  /** When its task is due. */
  dueAt: number;
  /** The newest version and strongest trigger that came while the lease was busy: evaluated next. */
  pending: { version: ConversationVersion; trigger: Trigger } | null;
  send: SendMarker | null;
}

/** An email the shop was sent (or may have been: `uncertainty`). */
export interface SentEmail {
  /** The lease that sent it (a late confirmation is fenced by it). */
  leaseId: string;
  sentAt: number;
  /** SES's message id; null when SES never confirmed. */
  messageId: string | null;
  uncertainty: SendUncertainty | null;
  version: ConversationVersion;
  /** Customer messages it carried. */
  messageCount: number;
  degraded: boolean;
  subject: string;
  /** The lease's trigger when it sent (why the shop got it). */
  trigger: Trigger;
}

/** The last evaluation that emailed nothing, and the version it read. */
interface EvaluationOutcome {
  outcome: 'not_ready' | 'missing_contact';
  version: ConversationVersion;
  trigger: Trigger;
  at: number;
  missingInfo: string[];
}

/**
 * The last AI summary, kept until the lead email is sent so that a stronger trigger on the same
 * transcript emails without a second model call.
 */
export interface CachedSummary {
  /** The transcript it was made from (`transcriptFingerprint`). */
  fingerprint: string;
  version: ConversationVersion;
  summary: LeadSummary;
}

export type HistoryEntry = { at: number } & (
  | {
      kind: 'lease';
      purpose: LeasePurpose;
      trigger: Trigger;
      version: ConversationVersion;
      dueAt: number;
      replaced: 'expired' | 'waiting' | null;
    }
  | { kind: 'upgraded'; trigger: Trigger }
  | { kind: 'outcome'; outcome: EvaluationOutcome['outcome'] | 'nothing_new'; trigger: Trigger; version: ConversationVersion }
  | {
      kind: 'sent';
      purpose: LeasePurpose;
      trigger: Trigger;
      version: ConversationVersion;
      messages: number;
      messageId: string | null;
      uncertainty: SendUncertainty | null;
      degraded: boolean;
    }
  | { kind: 'confirmed'; purpose: LeasePurpose; messageId: string }
  | { kind: 'failed'; purpose: LeasePurpose }
  | { kind: 'released'; purpose: LeasePurpose }
  | {
      kind: 'resend';
      by: string;
      reason: string;
      previousSentAt: number | null;
      previousMessageId: string | null;
      previousUncertainty: SendUncertainty | null;
    }
);

/** After this many final failures the server stops retrying on its own (an operator is alerted). */
export const RETRIES_AFTER_FAILURE = 3;

/** Entries kept in a record's history (oldest dropped first; `historyDropped` counts them). */
export const HISTORY_LIMIT = 100;

/**
 * One Firestore document per ChatKit thread: lease, outcomes and what the shop was sent. It holds
 * no transcript; what it holds of the conversation is the lead email's subject (follow-ups reply
 * to it) and the summary cache (cleared once the lead email is sent).
 */
export interface LeadRecord {
  threadId: string;
  lease: Lease | null;
  lastOutcome: EvaluationOutcome | null;
  summary: CachedSummary | null;
  /** The lead email, once sent. */
  lead: SentEmail | null;
  followUps: { count: number; last: SentEmail | null };
  /** The customer messages the shop has been emailed, and the newest version the emails covered. */
  reported: { version: ConversationVersion; messageIds: string[] };
  /** After a final failure (nothing sent): new attempts are refused until `cooldownUntil`. */
  failure: { at: number; purpose: LeasePurpose; cooldownUntil: number } | null;
  /** Final failures so far: each schedules the server's own retry after its cooldown, up to a limit. */
  failures: number;
  /** Leases taken so far. */
  attempts: number;
  safetyNetScheduled: boolean;
  history: HistoryEntry[];
  historyDropped: number;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms after which Firestore's TTL policy may delete the record. */
  expiresAt: number;
}

/** A thread's record before its first lease. */
export function newLeadRecord(threadId: string, now: number): LeadRecord {
  return {
    threadId,
    lease: null,
    lastOutcome: null,
    summary: null,
    lead: null,
    followUps: { count: 0, last: null },
    reported: { version: 0, messageIds: [] },
    failure: null,
    failures: 0,
    attempts: 0,
    safetyNetScheduled: false,
    history: [],
    historyDropped: 0,
    createdAt: now,
    updatedAt: now,
    expiresAt: now,
  };
}

/** The record's state in one word, for operators and logs. */
export type LeadState = 'open' | 'leased' | 'sent' | 'error';

export function stateOf(record: LeadRecord, now: number): LeadState {
  if (record.lease && (record.lease.expiresAt > now || record.lease.send)) return 'leased';
  if (record.lead) return 'sent';
  if (record.failure && record.failure.cooldownUntil > now) return 'error';
  return 'open';
}

/** What an operator needs to know of the shop's lead email (`npm run lead -- status`). */
export type Delivery = 'confirmed' | 'unconfirmed' | 'sending' | 'none';

export function deliveryOf(record: LeadRecord): Delivery {
  if (record.lead) return record.lead.uncertainty === null ? 'confirmed' : 'unconfirmed';
  return record.lease?.purpose === 'lead' && record.lease.send ? 'sending' : 'none';
}
