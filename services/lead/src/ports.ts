import type { LeadSummary } from '@lead-intake/shared/api';
import type { LeadRecord } from './domain/lead-record.js';
import type { LeadEvent, LeadStep } from './domain/lead-machine.js';
import type { Transcript } from './domain/transcript.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from './task-payload.js';

/*
 * The lead service's ports: one per external dependency, named for the role it plays (no `Port`
 * suffix); each adapter is named for its technology and that role (`FirestoreLeadRecordStore`,
 * `CloudTasksScheduler`, `ThreadStoreReader`, `OpenAISummarizer`, `SesMailer`). Decision 0025.
 */

/**
 * Port: the lead record of each thread (Firestore). `apply` reads the record, applies the
 * domain's state machine (`applyLeadEvent`) to it inside one transaction and writes the result;
 * nothing else ever changes a record. Throws TransientError while the store is unreachable.
 */
export interface LeadRecordStore {
  get(threadId: string): Promise<LeadRecord | null>;
  apply<E extends LeadEvent>(threadId: string, event: E): Promise<LeadStep<E>>;
}

/** Port: scheduling lead tasks (Cloud Tasks). A repeated enqueue of the same task is harmless. */
export interface TaskScheduler {
  /** The task of a lease (its evaluation or follow-up). */
  scheduleEvaluation(payload: LeadTaskPayload & { leaseId: string }, delaySeconds: number): Promise<void>;
  /** The safety net, once per thread (`retry` 0), and the retries after final failures (1, 2, ...: one task each). */
  scheduleSafetyNet(payload: LeadTaskPayload, delaySeconds: number, retry?: number): Promise<void>;
  /** At most one per send lease. */
  scheduleRecordSent(payload: RecordSentTaskPayload, delaySeconds: number): Promise<void>;
}

/**
 * Port: reading a ChatKit thread (our thread store in Firestore). Throws TransientError when the
 * store is unreachable; `fetchTranscript` throws ThreadNotFoundError for an unknown thread.
 */
export interface ThreadReader {
  /** The conversation's version (customer messages so far), null when there is no such thread. One document read. */
  version(threadId: string): Promise<number | null>;
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
  /** RFC 5322 threading (`<id@host>` values): the message this one answers, and the thread's ids. */
  inReplyTo?: string | null;
  references?: string[];
}

/**
 * Port: sending email (SES). Throws TransientError when the service provably took nothing and a
 * retry may succeed (throttling, 5xx, unreachable), PermanentError when it refused the email, and
 * SendOutcomeUnknownError when it may have accepted it without telling us (never retry that).
 */
export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  /** The `Message-ID` header the recipients see for a message id `send` returned (SES sets its own). */
  messageIdHeader(messageId: string): string;
}
