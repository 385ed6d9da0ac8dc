import type { Logger } from 'pino';
import { SendOutcomeUnknownError, TransientError } from '../domain/errors.js';
import type { LeadRecordStore, Mailer, OutgoingEmail, SendStart, SentEmail, TaskScheduler } from '../ports.js';
import type { RecordSentTaskPayload } from '../task-payload.js';

/**
 * Sending the shop's email at most once per lease. SES has no idempotency key, so the send is
 * bracketed by Firestore: a send marker (this lease is sending) is written before SES is called,
 * and once SES may have the email nothing sends it again: not a Cloud Tasks retry of this task
 * (it finds the marker), not a later lease (an expired lease with a marker settles as sent).
 * Logs at pino `fatal` are Cloud Logging CRITICAL: each needs an operator's eyes.
 */
export interface DeliveryDeps {
  records: LeadRecordStore;
  mailer: Mailer;
  tasks: Pick<TaskScheduler, 'scheduleRecordSent'>;
}

export type Delivery =
  /** SES took it; `recorded` false: Firestore failed, a follow-up task records it. */
  | { kind: 'sent'; messageId: string; recorded: boolean }
  /** SES may have taken it (no answer): recorded as sent, unconfirmed. */
  | { kind: 'sent_unconfirmed'; recorded: boolean }
  /** Another run of this task already started the send: nothing sent here. */
  | { kind: 'already_started' }
  | { kind: 'lease_lost' };

export interface DeliveryRequest {
  threadId: string;
  leaseId: string;
  email: OutgoingEmail;
  degraded: boolean;
}

/**
 * Throws what the mailer threw when SES provably took nothing (TransientError: the task is
 * retried; PermanentError: the caller gives up), after removing the send marker. Never throws
 * once SES may have the email.
 */
export async function deliverOnce(deps: DeliveryDeps, request: DeliveryRequest, log: Logger): Promise<Delivery> {
  const { threadId, leaseId } = request;
  const start = await startSend(deps, request, log);
  if (start === 'lease_lost') return { kind: 'lease_lost' };
  if (start === 'already_started') return { kind: 'already_started' };

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(request.email));
  } catch (error) {
    if (error instanceof SendOutcomeUnknownError) {
      log.fatal(
        { threadId, leaseId, err: error, uncertainty: 'ses_reply_lost' },
        'lead email: SES may have accepted it but never answered; recorded as sent (unconfirmed) and never re-sent automatically; check the shop inbox',
      );
      return {
        kind: 'sent_unconfirmed',
        recorded: await recordSent(deps, threadId, leaseId, { messageId: null, uncertainty: 'ses_reply_lost' }, log),
      };
    }
    await withdrawMarker(deps, threadId, leaseId, log);
    throw error;
  }
  return { kind: 'sent', messageId, recorded: await recordSent(deps, threadId, leaseId, { messageId, uncertainty: null }, log) };
}

/**
 * Writes the send marker. A write that failed on an outage or its deadline may still land after
 * we gave up, and a marker nobody acts on would make the retry settle without sending: one
 * attempt takes it back before the task is retried (decision 0019).
 */
async function startSend(deps: DeliveryDeps, request: DeliveryRequest, log: Logger): Promise<SendStart> {
  const { threadId, leaseId } = request;
  try {
    return await deps.records.startSend(threadId, leaseId, { degraded: request.degraded });
  } catch (error) {
    if (error instanceof TransientError) {
      const withdrawn = await deps.records.cancelSend(threadId, leaseId).catch(() => false);
      if (withdrawn) log.warn({ threadId, leaseId }, 'the send marker landed after its write gave up; taken back, nothing sent');
    }
    throw error;
  }
}

/** A previous run of this task started sending and never recorded it: record it, send nothing. */
export async function settleInterruptedSend(
  deps: Pick<DeliveryDeps, 'records'>,
  threadId: string,
  leaseId: string,
  log: Logger,
): Promise<void> {
  log.fatal(
    { threadId, leaseId, uncertainty: 'task_interrupted' },
    'lead email: a previous run of this task started sending and never recorded the outcome; recorded as sent (unconfirmed), not sent again; check the shop inbox',
  );
  // Throws while Firestore fails: the retry comes back here, never to the send.
  await retry(() => deps.records.markSent(threadId, leaseId, { messageId: null, uncertainty: 'task_interrupted' }), 3);
}

/** The follow-up task: records a send, never sends. Throws TransientError while Firestore fails (the queue retries). */
export async function recordSentFollowUp(
  deps: Pick<DeliveryDeps, 'records'>,
  payload: RecordSentTaskPayload,
  log: Logger,
): Promise<'recorded' | 'stale'> {
  const { threadId, leaseId, messageId, uncertainty } = payload;
  if (!(await deps.records.markSent(threadId, leaseId, { messageId, uncertainty }))) {
    log.warn({ threadId, messageId }, 'follow-up: the send marker is gone (an operator reset?); nothing recorded');
    return 'stale';
  }
  log.info({ threadId, messageId, uncertainty }, 'follow-up: lead email recorded as sent');
  return 'recorded';
}

/** Every means short of sending again: in-process retries, then a CRITICAL line and a follow-up task. */
async function recordSent(deps: DeliveryDeps, threadId: string, leaseId: string, sent: SentEmail, log: Logger): Promise<boolean> {
  try {
    const marked = await retry(() => deps.records.markSent(threadId, leaseId, sent), 3);
    if (!marked)
      log.error(
        { threadId, messageId: sent.messageId },
        'lead email sent but its send marker was gone (an operator reset?) when recording it',
      );
    return true;
  } catch (error) {
    log.fatal(
      { threadId, leaseId, messageId: sent.messageId, uncertainty: sent.uncertainty, err: error },
      'lead email SENT but not recorded (Firestore failing); a follow-up task records it, the send marker keeps it from being sent again',
    );
    try {
      // No delay: the queue's backoff paces the follow-up's retries.
      await deps.tasks.scheduleRecordSent({ kind: 'record_sent', threadId, leaseId, ...sent }, 0);
    } catch (scheduleError) {
      log.fatal(
        { threadId, leaseId, messageId: sent.messageId, err: scheduleError },
        'lead email SENT, not recorded, and no follow-up task could be scheduled; when its lease expires the record settles as sent (unconfirmed)',
      );
    }
    return false;
  }
}

/** SES took nothing: remove the marker so a retry may send. If that fails too, the retry will not send (at most once). */
async function withdrawMarker(deps: DeliveryDeps, threadId: string, leaseId: string, log: Logger): Promise<void> {
  try {
    await retry(() => deps.records.cancelSend(threadId, leaseId), 3);
  } catch (error) {
    log.fatal(
      { threadId, leaseId, err: error },
      'lead email NOT sent and its send marker could not be removed; the retry will record it as sent (unconfirmed) instead of sending: resend it',
    );
  }
}

/** Firestore hiccups must not skip a write that keeps the shop from a second email. */
async function retry<T>(operation: () => Promise<T>, attempts: number): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await operation();
    } catch (error) {
      if (i >= attempts || !(error instanceof TransientError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * i));
    }
  }
}
