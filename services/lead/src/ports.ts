import type { LeadSummary } from '@lead-intake/shared/api';
import type { LeadRecord, Trigger, EvaluationOutcome, SendUncertainty } from './domain/lead-record.js';
import type { LeaseRefusal } from './domain/lease-decision.js';
import type { Transcript } from './domain/transcript.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from './task-payload.js';

/** `acquire`'s answer: a lease (`takeover`: an expired one), or the record's reason for none. */
export type AcquireResult =
  | { kind: 'acquired'; leaseId: string; record: LeadRecord; takeover: boolean }
  /** `unconfirmedSendSettled`: this call found a crashed send and recorded it as sent, unconfirmed. */
  | { kind: 'refused'; refusal: LeaseRefusal; unconfirmedSendSettled?: boolean };

/** `startSend`'s verdict: go ahead, a send already started under this lease, or the lease is gone. */
export type SendStart = 'started' | 'already_started' | 'lease_lost';

/** What `markSent` records: SES's message id, or why there is none. */
export interface SentEmail {
  messageId: string | null;
  uncertainty: SendUncertainty | null;
}

/**
 * Port: the lead record of each thread (Firestore): its lease, evaluation outcome and send.
 * Every write after acquire is fenced by leaseId.
 */
export interface LeadRecordStore {
  get(threadId: string): Promise<LeadRecord | null>;
  acquire(threadId: string, trigger: Trigger): Promise<AcquireResult>;
  /** Releases a lease that could not be used (e.g. the task could not be scheduled). */
  release(threadId: string, leaseId: string): Promise<boolean>;
  /** Records a non-lead outcome and releases the lease. */
  recordOutcome(
    threadId: string,
    leaseId: string,
    outcome: { kind: EvaluationOutcome; missingInfo: string[]; summary?: { fingerprint: string; handoffReady: boolean } },
  ): Promise<boolean>;
  /**
   * Just before calling SES: checks the lease is still ours, extends it and writes the send
   * marker (this lease is sending). `already_started` when the marker is already there: a
   * previous run of this task may have sent the email, so nothing may be sent again.
   */
  startSend(threadId: string, leaseId: string, send: { degraded: boolean }): Promise<SendStart>;
  /** SES proved it accepted nothing (throttled, rejected, unreachable): removes the marker so a retry may send. */
  cancelSend(threadId: string, leaseId: string): Promise<boolean>;
  /**
   * Records the send of `leaseId`'s task and releases the lease (fenced by the send marker, so
   * a follow-up may also confirm a send recorded as unconfirmed). Idempotent.
   */
  markSent(threadId: string, leaseId: string, sent: SentEmail): Promise<boolean>;
  /** Final failure (nothing was sent): cooldown; clears the send marker. */
  markFailed(threadId: string, leaseId: string): Promise<boolean>;
  markSafetyNetScheduled(threadId: string): Promise<void>;
  /** Operator resend: clears the sent state, keeping an audit entry. */
  resetForResend(threadId: string, audit: { by: string; reason: string }): Promise<LeadRecord | null>;
}

/** Port: scheduling lead tasks (Cloud Tasks). A repeated enqueue of the same task is harmless. */
export interface TaskScheduler {
  scheduleEvaluation(payload: LeadTaskPayload & { leaseId: string }, delaySeconds: number): Promise<void>;
  scheduleSafetyNet(payload: LeadTaskPayload, delaySeconds: number): Promise<void>;
  /** At most one per send lease. */
  scheduleRecordSent(payload: RecordSentTaskPayload, delaySeconds: number): Promise<void>;
}

/**
 * Port: reading a ChatKit thread (our thread store in Firestore). Throws TransientError when the
 * store is unreachable; `fetchTranscript` throws ThreadNotFoundError for an unknown thread.
 */
export interface ThreadReader {
  /** Whether the store has the thread (cheap: one document read). */
  exists(threadId: string): Promise<boolean>;
  /** The thread and every page of its items, oldest first. */
  fetchTranscript(threadId: string): Promise<Transcript>;
}

/** Port: the AI summary (OpenAI Responses with Structured Outputs). */
export interface Summarizer {
  summarize(input: { transcript: Transcript; shopName: string; shopLanguage: string; pageUrl: string | null }): Promise<LeadSummary>;
}

export interface OutgoingEmail {
  to: string[];
  from: string;
  replyTo: string | null;
  subject: string;
  html: string;
  text: string;
}

/**
 * Port: sending email (SES). Throws TransientError when the service provably took nothing and a
 * retry may succeed (throttling, 5xx, unreachable), PermanentError when it refused the email, and
 * SendOutcomeUnknownError when it may have accepted it without telling us (never retry that).
 */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
