import type { Logger } from 'pino';
import { withRetries, type RetryPolicy } from '@lead-intake/shared';
import { SendOutcomeUnknownError, TransientError } from '../domain/errors.js';
import type { LeadEffect } from '../domain/lead-machine.js';
import type { SendUncertainty } from '../domain/lead-record.js';
import type { LeadRecordStore, Mailer, OutgoingEmail, TaskScheduler } from '../ports.js';
import type { RecordSentTaskPayload } from '../task-payload.js';

/**
 * Sending an email to the shop (the lead email or a follow-up) at most once per lease. SES has no
 * idempotency key, so the send is bracketed by Firestore: a send marker (this lease is sending)
 * is written before SES is called, and once SES may have the email nothing sends it again: not a
 * Cloud Tasks retry of this task (it finds the marker), not a later lease (an expired lease with a
 * marker settles as sent). Logs at pino `fatal` are Cloud Logging CRITICAL: each needs an
 * operator's eyes.
 */
export interface DeliveryDeps {
  records: LeadRecordStore;
  mailer: Mailer;
  tasks: Pick<TaskScheduler, 'scheduleRecordSent'>;
  newLeaseId: () => string;
  /** Waits between in-process retries of a Firestore write (a fake clock in tests). */
  sleep: (ms: number) => Promise<void>;
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
  /** The conversation version the email was built from, and the customer messages it carries. */
  version: number;
  messageIds: string[];
  email: OutgoingEmail;
  degraded: boolean;
}

/**
 * Throws what the mailer threw when SES provably took nothing (TransientError: the task is
 * retried; PermanentError: the caller gives up), after removing the send marker. Never throws
 * once SES may have the email. `effects`: what recording the send asked for (a follow-up lease).
 */
export async function deliverOnce(
  deps: DeliveryDeps,
  request: DeliveryRequest,
  log: Logger,
): Promise<{ delivery: Delivery; effects: LeadEffect[] }> {
  const { threadId, leaseId } = request;
  const sendId = deps.newLeaseId();
  const start = await startSend(deps, request, sendId, log);
  if (start === 'lease_lost') return { delivery: { kind: 'lease_lost' }, effects: [] };
  if (start === 'already_started') return { delivery: { kind: 'already_started' }, effects: [] };

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(request.email));
  } catch (error) {
    if (error instanceof SendOutcomeUnknownError) {
      log.fatal(
        { threadId, leaseId, err: error, uncertainty: 'ses_reply_lost' },
        'email to the shop: SES may have accepted it but never answered; recorded as sent (unconfirmed) and never re-sent automatically; check the shop inbox',
      );
      const recorded = await recordSent(deps, threadId, leaseId, { messageId: null, uncertainty: 'ses_reply_lost' }, log);
      return { delivery: { kind: 'sent_unconfirmed', recorded: recorded.recorded }, effects: recorded.effects };
    }
    await withdrawMarker(deps, threadId, leaseId, sendId, log);
    throw error;
  }
  const recorded = await recordSent(deps, threadId, leaseId, { messageId, uncertainty: null }, log);
  return { delivery: { kind: 'sent', messageId, recorded: recorded.recorded }, effects: recorded.effects };
}

/**
 * Writes the send marker. A write that failed on an outage or its deadline may still land after
 * we gave up, and a marker nobody acts on would make the retry settle without sending: one
 * attempt takes it back before the task is retried (decision 0019).
 */
async function startSend(deps: DeliveryDeps, request: DeliveryRequest, sendId: string, log: Logger) {
  const { threadId, leaseId } = request;
  try {
    const step = await deps.records.apply(threadId, {
      type: 'send_started',
      leaseId,
      sendId,
      version: request.version,
      messageIds: request.messageIds,
      degraded: request.degraded,
      subject: request.email.subject,
    });
    return step.result.verdict;
  } catch (error) {
    if (error instanceof TransientError) {
      const withdrawn = await deps.records
        .apply(threadId, { type: 'send_cancelled', leaseId, sendId })
        .then((step) => step.result.cancelled)
        .catch(() => false);
      if (withdrawn) log.warn({ threadId, leaseId }, 'the send marker landed after its write gave up; taken back, nothing sent');
    }
    throw error;
  }
}

/** A previous run of this task started sending and never recorded it: record it, send nothing. */
export async function settleInterruptedSend(
  deps: Pick<DeliveryDeps, 'records' | 'newLeaseId' | 'sleep'>,
  threadId: string,
  leaseId: string,
  log: Logger,
): Promise<LeadEffect[]> {
  log.fatal(
    { threadId, leaseId, uncertainty: 'task_interrupted' },
    'email to the shop: a previous run of this task started sending and never recorded the outcome; recorded as sent (unconfirmed), not sent again; check the shop inbox',
  );
  // Throws while Firestore fails: the retry comes back here, never to the send.
  const step = await retry(deps, () =>
    deps.records.apply(threadId, {
      type: 'sent',
      leaseId,
      messageId: null,
      uncertainty: 'task_interrupted',
      nextLeaseId: deps.newLeaseId(),
    }),
  );
  return step.result.effects;
}

/** The follow-up task: records a send, never sends. Throws TransientError while Firestore fails (the queue retries). */
export async function recordSentFollowUp(
  deps: Pick<DeliveryDeps, 'records' | 'newLeaseId'>,
  payload: RecordSentTaskPayload,
  log: Logger,
): Promise<{ outcome: 'recorded' | 'stale'; effects: LeadEffect[] }> {
  const { threadId, leaseId, messageId, uncertainty } = payload;
  const step = await deps.records.apply(threadId, { type: 'sent', leaseId, messageId, uncertainty, nextLeaseId: deps.newLeaseId() });
  if (step.result.recorded === 'stale') {
    log.warn({ threadId, messageId }, 'record-sent task: the send marker is gone (an operator reset?); nothing recorded');
    return { outcome: 'stale', effects: [] };
  }
  log.info({ threadId, messageId, uncertainty, recorded: step.result.recorded }, 'record-sent task: email recorded as sent');
  return { outcome: 'recorded', effects: step.result.effects };
}

/** Every means short of sending again: in-process retries, then a CRITICAL line and a follow-up task. */
async function recordSent(
  deps: DeliveryDeps,
  threadId: string,
  leaseId: string,
  sent: { messageId: string | null; uncertainty: SendUncertainty | null },
  log: Logger,
): Promise<{ recorded: boolean; effects: LeadEffect[] }> {
  try {
    const step = await retry(deps, () => deps.records.apply(threadId, { type: 'sent', leaseId, ...sent, nextLeaseId: deps.newLeaseId() }));
    if (step.result.recorded === 'stale')
      log.error({ threadId, messageId: sent.messageId }, 'email sent but its send marker was gone (an operator reset?) when recording it');
    return { recorded: true, effects: step.result.effects };
  } catch (error) {
    log.fatal(
      { threadId, leaseId, messageId: sent.messageId, uncertainty: sent.uncertainty, err: error },
      'email to the shop SENT but not recorded (Firestore failing); a follow-up task records it, the send marker keeps it from being sent again',
    );
    try {
      // No delay: the queue's backoff paces the follow-up's retries.
      await deps.tasks.scheduleRecordSent({ kind: 'record_sent', threadId, leaseId, ...sent }, 0);
    } catch (scheduleError) {
      log.fatal(
        { threadId, leaseId, messageId: sent.messageId, err: scheduleError },
        'email to the shop SENT, not recorded, and no follow-up task could be scheduled; when its lease expires the record settles as sent (unconfirmed)',
      );
    }
    return { recorded: false, effects: [] };
  }
}

/** SES took nothing: remove the marker so a retry may send. If that fails too, the retry will not send (at most once). */
async function withdrawMarker(deps: DeliveryDeps, threadId: string, leaseId: string, sendId: string, log: Logger): Promise<void> {
  try {
    await retry(deps, () => deps.records.apply(threadId, { type: 'send_cancelled', leaseId, sendId }));
  } catch (error) {
    log.fatal(
      { threadId, leaseId, err: error },
      'email to the shop NOT sent and its send marker could not be removed; the retry will record it as sent (unconfirmed) instead of sending: resend it',
    );
  }
}

/** Firestore hiccups must not skip a write that keeps the shop from a second email: 3 calls, 200 then 400 ms apart. */
const RECORD_RETRIES: RetryPolicy = { attempts: 3, firstDelayMs: 200, factor: 2 };

const retry = <T>(deps: Pick<DeliveryDeps, 'sleep'>, operation: () => Promise<T>): Promise<T> =>
  withRetries(operation, RECORD_RETRIES, { sleep: deps.sleep });
