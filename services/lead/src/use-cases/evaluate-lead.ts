import type { Logger } from 'pino';
import type { LeadSummary } from '@lead-intake/shared/api';
import { contactOptionsFor, extractContact } from '../domain/contact-extraction.js';
import { PermanentError, TransientError } from '../domain/errors.js';
import { gateEvaluation } from '../domain/evaluation-gate.js';
import { transcriptFingerprint } from '../domain/fingerprint.js';
import { summaryFailureOf } from '../domain/summary-failure.js';
import { customerMessages } from '../domain/transcript.js';
import { degradedReasonText, renderLeadEmail, renderVisitorRecap } from '../email/index.js';
import { leadThreading } from '../email/threading.js';
import { carryOut } from './lead-effects.js';
import { sendToShop } from './send-to-shop.js';
import type { LeadTaskDeps, LeaseWork, TaskOutcome } from './lead-task.js';

/**
 * The lead lease's work: find the customer's contact, decide (cheaply first) whether it is a
 * lead, summarize (once per transcript), and email the shop once. Whether the summary sends is
 * the machine's call, by the lease's trigger at that moment (the customer may have left meanwhile).
 */
export async function evaluateLead(deps: LeadTaskDeps, work: LeaseWork, log: Logger): Promise<TaskOutcome> {
  const { record, lease, transcript, payload, finalAttempt } = work;
  const { threadId } = payload;
  const leaseId = lease.id;
  const version = transcript.version;
  const contact = extractContact(transcript, contactOptionsFor(deps.shop));
  const fingerprint = transcriptFingerprint(transcript);
  const gate = gateEvaluation({ contact, fingerprint, cached: record.summary });

  if (gate.kind === 'missing_contact') {
    const step = await deps.records.apply(threadId, {
      type: 'evaluated',
      leaseId,
      version,
      outcome: 'missing_contact',
      missingInfo: gate.missingInfo,
      nextLeaseId: deps.newLeaseId(),
    });
    await carryOut(deps, threadId, step.result.effects, payload, log);
    log.info({ threadId, trigger: lease.trigger, version, outcome: 'missing_contact', summaryCall: false }, 'no lead yet');
    return 'missing_contact';
  }

  let summary: LeadSummary | null = gate.kind === 'cached' ? gate.summary : null;
  let degradedReason: string | undefined;
  if (gate.kind === 'summarize') {
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
  }
  const summaryCall = gate.kind === 'summarize';

  let trigger = lease.trigger;
  if (summary) {
    const step = await deps.records.apply(threadId, {
      type: 'summarized',
      leaseId,
      version,
      fingerprint,
      summary,
      nextLeaseId: deps.newLeaseId(),
    });
    const { verdict } = step.result;
    if (verdict === 'lease_lost') {
      log.info({ threadId }, 'lease lost while summarizing; another task owns the thread');
      return 'stale';
    }
    if (verdict === 'not_ready') {
      await carryOut(deps, threadId, step.result.effects, payload, log);
      log.info({ threadId, trigger: step.result.trigger, version, outcome: 'not_ready', summaryCall }, 'no lead yet');
      return 'not_ready';
    }
    trigger = step.result.trigger ?? trigger;
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
  const delivery = await sendToShop(
    deps,
    work,
    {
      what: 'lead email',
      rendered: email,
      threading: leadThreading(threadId, deps.mail.from),
      messageIds: customerMessages(transcript).map((message) => message.id),
      degraded,
    },
    log,
  );
  if (delivery.kind === 'ended') return delivery.outcome;
  log.info(
    { threadId, trigger, version, messageId: delivery.messageId, degraded, recorded: delivery.recorded, summaryCall },
    'lead email sent',
  );
  if (deps.mail.visitorRecap && email.replyTo) await sendVisitorRecap(deps, email.replyTo, summary, payload.locale, log);
  if (!delivery.recorded) return 'sent_unrecorded';
  return degraded ? 'sent_degraded' : 'sent';
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
