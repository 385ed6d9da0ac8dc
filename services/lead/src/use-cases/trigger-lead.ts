import type { Logger } from 'pino';
import type { LeadRequest, LeadResponse } from '@lead-intake/shared/api';
import { TransientError } from '../domain/errors.js';
import type { TriggerVerdict } from '../domain/lead-machine.js';
import type { LeadRecord } from '../domain/lead-record.js';
import type { ThreadReader } from '../ports.js';
import { carryOut, type EffectDeps, type TaskContext } from './lead-effects.js';

export interface TriggerLeadDeps extends EffectDeps {
  /** Only `version`: one document read, null for a thread the store does not have. */
  threads: Pick<ThreadReader, 'version'>;
  /** A new lease's id. */
  newLeaseId: () => string;
}

/** The thread store has no such thread: nothing was leased or scheduled. */
export interface ThreadNotFoundAnswer {
  ok: false;
  sent: false;
  reason: 'not_found';
}

export type TriggerAnswer = LeadResponse | ThreadNotFoundAnswer;

export const isThreadNotFound = (answer: TriggerAnswer): answer is ThreadNotFoundAnswer => answer.reason === 'not_found';

/**
 * The browser (or the session service, or the server's safety net) says "this thread may hold a
 * lead, or news for the shop". Answer at once from the lead record and the conversation's
 * version: already sent and nothing new, someone is on it, an outcome of this very version, or a
 * lease was taken and its task scheduled. Never waits for OpenAI or SES.
 */
export async function triggerLead(deps: TriggerLeadDeps, request: LeadRequest | SafetyNetRequest, log: Logger): Promise<TriggerAnswer> {
  const { threadId, reason } = request;
  // A store or queue outage throws TransientError: 503 + Retry-After (the error middleware).
  // One document read each, side by side.
  const [record, version] = await Promise.all([deps.records.get(threadId), deps.threads.version(threadId)]);
  if (version === null) {
    // A sent thread answers so whether or not the thread store still has it.
    if (record?.lead) return triggerReply({ kind: 'already_sent', sentAt: record.lead.sentAt }, record);
    log.info({ threadId, trigger: reason }, 'lead trigger for a thread the store does not have');
    return { ok: false, sent: false, reason: 'not_found' };
  }
  // Fast path: the shop has every customer message of this version; no transaction.
  if (record?.lead && !record.lease && version <= record.reported.version) {
    return triggerReply({ kind: 'already_sent', sentAt: record.lead.sentAt }, record);
  }

  const step = await deps.records.apply(threadId, { type: 'trigger', trigger: reason, version, leaseId: deps.newLeaseId() });
  const { verdict, settled } = step.result;
  if (settled) {
    log.fatal(
      { threadId, trigger: reason, purpose: settled },
      'an expired lease had started sending and never recorded it; recorded as sent (unconfirmed), not sent again',
    );
  }
  const context: TaskContext = { locale: request.locale, pageUrl: request.pageUrl, user: request.user };
  const { unscheduled } = await carryOut(deps, threadId, step.result.effects, context, log, { renewed: verdict.kind !== 'queued' });
  if (verdict.kind === 'queued' && unscheduled.length > 0) throw asScheduleFailure(unscheduled[0]);

  if (verdict.kind === 'queued') {
    log.info(
      { threadId, trigger: reason, version, purpose: verdict.purpose, attempts: step.record?.attempts, takeover: verdict.takeover },
      verdict.purpose === 'lead' ? 'lead evaluation queued' : 'follow-up queued',
    );
  } else {
    log.info({ threadId, trigger: reason, version, outcome: verdict.kind }, 'lead trigger answered without a new lease');
  }
  return triggerReply(verdict, step.record);
}

/** The server's own trigger (the safety-net task): a lead request without the browser's fields. */
export type SafetyNetRequest = Omit<LeadRequest, 'reason'> & { reason: 'safety_net' | 'resend' };

/** A verdict in the API's words. */
export function triggerReply(verdict: TriggerVerdict, record: LeadRecord | null): LeadResponse {
  const sentAt = record?.lead ? { sent_at: Math.floor(record.lead.sentAt / 1000) } : {};
  switch (verdict.kind) {
    case 'queued':
      return verdict.purpose === 'lead'
        ? { ok: true, sent: false, reason: 'queued' }
        : { ok: true, sent: true, reason: 'follow_up_queued', ...sentAt };
    case 'already_sent':
      return { ok: true, sent: true, reason: 'already_sent', sent_at: Math.floor(verdict.sentAt / 1000) };
    case 'not_ready':
    case 'missing_contact':
      return {
        ok: true,
        sent: false,
        reason: verdict.kind,
        ...(verdict.missingInfo.length > 0 ? { missing_info: verdict.missingInfo } : {}),
      };
    case 'in_progress':
    case 'cooldown':
      return verdict.leadSent ? { ok: true, sent: true, reason: verdict.kind, ...sentAt } : { ok: true, sent: false, reason: verdict.kind };
  }
}

/** A lease whose task could not be scheduled (and was released): the trigger may be sent again. */
const asScheduleFailure = (cause: unknown): TransientError =>
  cause instanceof TransientError ? cause : new TransientError('the lead task could not be scheduled', { cause });
