import type { LeadResponse } from '@lead-intake/shared/api';
import type { LeadRecord, Trigger, EvaluationOutcome } from './domain/lead-record.js';
import type { LeadSummary } from './domain/lead-summary.js';
import type { Transcript } from './domain/transcript.js';

/** What a lead task carries (Cloud Task body). */
export interface LeadTaskPayload {
  kind: 'evaluate' | 'safety_net';
  threadId: string;
  /** The lease the task works under; absent for the safety net (it takes its own). */
  leaseId?: string | undefined;
  trigger: Trigger;
  locale?: string | undefined;
  pageUrl?: string | undefined;
  user?: string | undefined;
}

export type AcquireResult =
  | { kind: 'acquired'; leaseId: string; record: LeadRecord; firstLease: boolean }
  | { kind: 'refused'; response: LeadResponse };

/** Port: the per-thread lease and outcome records (Firestore). Every write after acquire is fenced by leaseId. */
export interface LeaseStore {
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
  /** Checks the lease is still ours and extends it just before sending. */
  confirmLease(threadId: string, leaseId: string): Promise<boolean>;
  markSent(threadId: string, leaseId: string, sent: { messageId: string; degraded: boolean }): Promise<boolean>;
  markFailed(threadId: string, leaseId: string): Promise<boolean>;
  markSafetyNetScheduled(threadId: string): Promise<void>;
  /** Operator resend: clears the sent state, keeping an audit entry. */
  resetForResend(threadId: string, audit: { by: string; reason: string }): Promise<LeadRecord | null>;
}

/** Port: scheduling lead tasks (Cloud Tasks). A repeated enqueue of the same task is harmless. */
export interface TaskScheduler {
  scheduleEvaluation(payload: LeadTaskPayload & { leaseId: string }, delaySeconds: number): Promise<void>;
  scheduleSafetyNet(payload: LeadTaskPayload, delaySeconds: number): Promise<void>;
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

/** Port: sending email (SES). */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
