import type { Logger } from 'pino';
import { contactOptionsFor, extractContact } from '../domain/contact-extraction.js';
import { customerMessages } from '../domain/transcript.js';
import { renderFollowUpEmail } from '../email/index.js';
import { followUpThreading } from '../email/threading.js';
import { carryOut } from './lead-effects.js';
import { sendToShop } from './send-to-shop.js';
import type { LeadTaskDeps, LeaseWork, TaskOutcome } from './lead-task.js';

/**
 * The follow-up lease's work: the customer messages no email has carried yet, as one short
 * email threaded under the lead email, with any new contact detail highlighted. No summary call.
 */
export async function sendFollowUp(deps: LeadTaskDeps, work: LeaseWork, log: Logger): Promise<TaskOutcome> {
  const { record, lease, transcript, payload } = work;
  const { threadId } = payload;
  const leaseId = lease.id;
  const reported = new Set(record.reported.messageIds);
  const customer = customerMessages(transcript);
  const fresh = customer.filter((message) => !reported.has(message.id));

  if (fresh.length === 0 || !record.lead) {
    // An assistant-only change, or a message deleted since: nothing for the shop.
    const step = await deps.records.apply(threadId, {
      type: 'evaluated',
      leaseId,
      version: transcript.version,
      outcome: 'nothing_new',
      missingInfo: [],
      nextLeaseId: deps.newLeaseId(),
    });
    await carryOut(deps, threadId, step.result.effects, payload, log);
    log.info({ threadId, version: transcript.version }, 'follow-up: nothing new for the shop');
    return 'nothing_new';
  }

  const options = contactOptionsFor(deps.shop);
  const email = renderFollowUpEmail({
    shop: deps.shop,
    threadId,
    transcript,
    newMessageIds: new Set(fresh.map((message) => message.id)),
    contact: extractContact(transcript, options),
    previousContact: extractContact({ ...transcript, messages: customer.filter((message) => reported.has(message.id)) }, options),
    leadSubject: record.lead.subject,
    shopLanguage: deps.mail.shopLanguage,
    conversationUrlTemplate: deps.mail.conversationUrlTemplate,
  });
  const leadMessageId = record.lead.messageId ? deps.mailer.messageIdHeader(record.lead.messageId) : null;

  const delivery = await sendToShop(
    deps,
    work,
    {
      what: 'follow-up email',
      rendered: email,
      threading: followUpThreading(threadId, deps.mail.from, leadMessageId),
      messageIds: fresh.map((message) => message.id),
      degraded: false,
    },
    log,
  );
  if (delivery.kind === 'ended') return delivery.outcome;
  log.info(
    {
      threadId,
      version: transcript.version,
      messages: fresh.length,
      messageId: delivery.messageId,
      recorded: delivery.recorded,
    },
    'follow-up email sent',
  );
  return delivery.recorded ? 'follow_up_sent' : 'sent_unrecorded';
}
