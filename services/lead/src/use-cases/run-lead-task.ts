import type { Logger } from 'pino';
import type { ShopProfile } from '@lead-intake/shared';
import { contactOptionsFor, extractContact } from '../domain/contact-extraction.js';
import { PermanentError, ThreadNotFoundError, TransientError } from '../domain/errors.js';
import { gateEvaluation, shouldSend } from '../domain/evaluation-gate.js';
import { transcriptFingerprint } from '../domain/fingerprint.js';
import { sendStartedUnderLease, type Trigger } from '../domain/lead-record.js';
import type { LeadSummary } from '@lead-intake/shared/api';
import { summaryFailureOf } from '../domain/summary-failure.js';
import { degradedReasonText, renderLeadEmail, renderVisitorRecap } from '../email/index.js';
import type { Summarizer, ThreadReader } from '../ports.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from '../task-payload.js';
import { deliverOnce, recordSentFollowUp, settleInterruptedSend, type DeliveryDeps } from './deliver-lead.js';

export interface LeadTaskDeps extends DeliveryDeps {
  threads: ThreadReader;
  summarizer: Summarizer;
  shop: ShopProfile;
  mail: { from: string; to: string[]; shopLanguage: string; visitorRecap: boolean; conversationUrlTemplate?: string | undefined };
}

export interface TaskAttempt {
  /** Retries so far (Cloud Tasks' X-CloudTasks-TaskRetryCount). */
  retryCount: number;
  /** The queue's maxAttempts: on the last one, a failing summary gives way to a degraded email. */
  maxAttempts: number;
}

export type TaskOutcome =
  | 'stale'
  | 'already_sent'
  | 'missing_contact'
  | 'not_ready'
  | 'sent'
  | 'sent_degraded'
  /** SES took it; Firestore failed to record it, a follow-up task will. */
  | 'sent_unrecorded'
  /** SES may have it (no answer, or an earlier run of this task stopped mid-send): recorded, never re-sent. */
  | 'sent_unconfirmed'
  /** Another run of this task is sending (a duplicate delivery): nothing sent here. */
  | 'duplicate'
  /** The follow-up task recorded a send. */
  | 'recorded'
  | 'failed';

/**
 * The lead task: under a lease, read the thread, find the customer's contact, decide (cheaply
 * first) whether it is a lead, summarize, and email the shop once. Throws TransientError to have
 * Cloud Tasks retry; anything else is settled here. Never throws once SES may have the email.
 */
export async function runLeadTask(
  deps: LeadTaskDeps,
  payload: LeadTaskPayload | RecordSentTaskPayload,
  attempt: TaskAttempt,
  log: Logger,
): Promise<TaskOutcome> {
  if (payload.kind === 'record_sent') return recordSentFollowUp(deps, payload, log);
  if (payload.kind === 'safety_net') return runSafetyNet(deps, payload, attempt, log);
  if (!payload.leaseId) return 'stale';
  return evaluateUnderLease(deps, payload, payload.leaseId, payload.trigger, attempt, log);
}

async function runSafetyNet(deps: LeadTaskDeps, payload: LeadTaskPayload, attempt: TaskAttempt, log: Logger): Promise<TaskOutcome> {
  const lease = await deps.records.acquire(payload.threadId, 'safety_net');
  if (lease.kind === 'refused') {
    if (lease.unconfirmedSendSettled)
      log.fatal(
        { threadId: payload.threadId },
        'an expired lease had started sending and never recorded it; recorded as sent (unconfirmed)',
      );
    if (lease.refusal.reason === 'already_sent') return 'already_sent';
    // Someone is working on it or it is cooling down: come back later (Cloud Tasks backoff).
    throw new TransientError(`safety net deferred: ${lease.refusal.reason}`);
  }
  log.info({ threadId: payload.threadId }, 'safety-net evaluation');
  return evaluateUnderLease(deps, payload, lease.leaseId, 'safety_net', attempt, log);
}

async function evaluateUnderLease(
  deps: LeadTaskDeps,
  payload: LeadTaskPayload,
  leaseId: string,
  taskTrigger: Trigger,
  attempt: TaskAttempt,
  log: Logger,
): Promise<TaskOutcome> {
  const { threadId } = payload;
  let trigger = taskTrigger;
  const record = await deps.records.get(threadId);
  if (!record || record.state !== 'leased' || record.leaseId !== leaseId) {
    log.info({ threadId }, 'stale lead task: its lease is no longer current');
    return record?.state === 'sent' ? 'already_sent' : 'stale';
  }
  if (sendStartedUnderLease(record)) {
    // This task ran before and got as far as sending (then crashed, or lost its answer): SES may have the email.
    await settleInterruptedSend(deps, threadId, leaseId, log);
    return 'sent_unconfirmed';
  }
  const finalAttempt = attempt.retryCount + 1 >= attempt.maxAttempts;

  let transcript;
  try {
    transcript = await deps.threads.fetchTranscript(threadId);
  } catch (error) {
    if (error instanceof TransientError && !finalAttempt) throw error;
    if (error instanceof ThreadNotFoundError) log.warn({ threadId }, 'the thread is gone (deleted or expired); nothing to evaluate');
    else log.error({ threadId, err: error }, 'cannot read the thread; giving up on this attempt');
    await deps.records.markFailed(threadId, leaseId);
    return 'failed';
  }

  const contact = extractContact(transcript, contactOptionsFor(deps.shop));
  const fingerprint = transcriptFingerprint(transcript);
  if (record.trigger !== null && trigger === 'auto') trigger = record.trigger; // upgraded before we started
  const gate = gateEvaluation({ trigger, contact, fingerprint, record });
  if (gate.kind === 'missing_contact' || gate.kind === 'not_ready_unchanged') {
    const kind = gate.kind === 'missing_contact' ? 'missing_contact' : 'not_ready';
    await deps.records.recordOutcome(threadId, leaseId, { kind, missingInfo: gate.missingInfo });
    log.info({ threadId, trigger, outcome: kind, summaryCall: false }, 'no lead yet');
    return kind;
  }

  let summary: LeadSummary | null = null;
  let degradedReason: string | undefined;
  try {
    summary = await deps.summarizer.summarize({
      transcript,
      shopName: deps.shop.name,
      shopLanguage: deps.mail.shopLanguage,
      pageUrl: payload.pageUrl ?? null,
    });
  } catch (error) {
    if (error instanceof TransientError && !finalAttempt) throw error;
    if (!(error instanceof TransientError) && !(error instanceof PermanentError)) throw error;
    const failure = summaryFailureOf(error);
    degradedReason = degradedReasonText(failure, deps.mail.shopLanguage);
    log.warn({ threadId, err: error, finalAttempt, summaryFailure: failure }, 'summary failed for good; sending the plain lead email');
  }

  // A stronger trigger (the customer left) may have upgraded this lease while we worked.
  const latest = await deps.records.get(threadId);
  if (latest?.leaseId === leaseId && latest.trigger !== null && trigger === 'auto') trigger = latest.trigger;

  if (summary && !shouldSend(trigger, summary.handoff_ready)) {
    await deps.records.recordOutcome(threadId, leaseId, {
      kind: 'not_ready',
      missingInfo: summary.missing_info,
      summary: { fingerprint, handoffReady: false },
    });
    log.info({ threadId, trigger, outcome: 'not_ready', summaryCall: true }, 'no lead yet');
    return 'not_ready';
  }

  const email = renderLeadEmail({
    shop: deps.shop,
    threadId,
    transcript,
    contact,
    summary,
    ...(degradedReason ? { degradedReason } : {}),
    pageUrl: payload.pageUrl ?? null,
    trigger,
    locale: payload.locale ?? null,
    shopLanguage: deps.mail.shopLanguage,
    conversationUrlTemplate: deps.mail.conversationUrlTemplate,
  });

  const degraded = summary === null;
  let delivery;
  try {
    delivery = await deliverOnce(
      deps,
      {
        threadId,
        leaseId,
        degraded,
        email: {
          to: deps.mail.to,
          from: deps.mail.from,
          replyTo: email.replyTo,
          subject: email.subject,
          html: email.html,
          text: email.text,
        },
      },
      log,
    );
  } catch (error) {
    // SES provably took nothing.
    if (error instanceof TransientError && !finalAttempt) throw error;
    log.fatal({ threadId, err: error }, 'lead email could not be sent; cooling down');
    await deps.records.markFailed(threadId, leaseId);
    return 'failed';
  }

  switch (delivery.kind) {
    case 'lease_lost':
      log.info({ threadId }, 'lease lost before sending; another task owns the thread');
      return 'stale';
    case 'already_started':
      log.warn({ threadId }, 'another run of this task is sending the lead email; not sending');
      return 'duplicate';
    case 'sent_unconfirmed':
      return 'sent_unconfirmed';
    case 'sent':
      log.info(
        { threadId, trigger, messageId: delivery.messageId, degraded, recorded: delivery.recorded, summaryCall: true },
        'lead email sent',
      );
      if (deps.mail.visitorRecap && email.replyTo) await sendVisitorRecap(deps, email.replyTo, summary, payload.locale, log);
      if (!delivery.recorded) return 'sent_unrecorded';
      return degraded ? 'sent_degraded' : 'sent';
  }
}

/** Best effort and never retried: the shop's email is what must not be lost or doubled. */
async function sendVisitorRecap(
  deps: LeadTaskDeps,
  customerEmail: string,
  summary: LeadSummary | null,
  locale: string | undefined,
  log: Logger,
): Promise<void> {
  try {
    const recap = renderVisitorRecap({ shop: deps.shop, summary, language: locale ?? deps.shop.locales.default });
    await deps.mailer.send({ to: [customerEmail], from: deps.mail.from, replyTo: deps.shop.email, ...recap });
    log.info('visitor recap sent');
  } catch (error) {
    log.warn({ err: error }, 'visitor recap could not be sent');
  }
}
