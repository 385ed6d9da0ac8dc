import type { Logger } from 'pino';
import { TransientError } from '../domain/errors.js';
import type { RenderedEmail } from '../email/types.js';
import type { Threading } from '../email/threading.js';
import { deliverOnce, type Delivery } from './deliver-lead.js';
import { carryOut, recordFinalFailure } from './lead-effects.js';
import type { LeadTaskDeps, LeaseWork, TaskOutcome } from './lead-task.js';

export interface ShopEmail {
  /** For the logs: `lead email` or `follow-up email`. */
  what: string;
  rendered: RenderedEmail;
  threading: Threading;
  /** The customer messages it carries. */
  messageIds: string[];
  degraded: boolean;
}

/**
 * The lease's email to the shop, at most once (`deliverOnce`). SES refusing it for good (or
 * throttling through the last attempt) ends the lease in a cooldown (`failed`); what recording
 * the send asked for (a follow-up lease for what came meanwhile) is carried out.
 */
export async function sendToShop(
  deps: LeadTaskDeps,
  work: LeaseWork,
  email: ShopEmail,
  log: Logger,
): Promise<Extract<Delivery, { kind: 'sent' }> | { kind: 'ended'; outcome: TaskOutcome }> {
  const { threadId } = work.payload;
  const { rendered } = email;
  let sent;
  try {
    sent = await deliverOnce(
      deps,
      {
        threadId,
        leaseId: work.lease.id,
        version: work.transcript.version,
        messageIds: email.messageIds,
        degraded: email.degraded,
        email: {
          to: deps.mail.to,
          from: deps.mail.from,
          replyTo: rendered.replyTo,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          ...email.threading,
        },
      },
      log,
    );
  } catch (error) {
    // SES provably took nothing.
    if (error instanceof TransientError && !work.finalAttempt) throw error;
    log.fatal({ threadId, err: error }, `${email.what} could not be sent; cooling down`);
    await recordFinalFailure(deps, threadId, work.lease.id, work.payload, log);
    return { kind: 'ended', outcome: 'failed' };
  }
  await carryOut(deps, threadId, sent.effects, work.payload, log);
  switch (sent.delivery.kind) {
    case 'sent':
      return sent.delivery;
    case 'sent_unconfirmed':
      return { kind: 'ended', outcome: 'sent_unconfirmed' };
    case 'lease_lost':
      log.info({ threadId }, `lease lost before sending the ${email.what}; another task owns the thread`);
      return { kind: 'ended', outcome: 'stale' };
    case 'already_started':
      log.warn({ threadId }, `another run of this task is sending the ${email.what}; not sending`);
      return { kind: 'ended', outcome: 'duplicate' };
  }
}
