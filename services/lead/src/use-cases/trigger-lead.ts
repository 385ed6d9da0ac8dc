import type { Logger } from 'pino';
import { AppError, unavailableError } from '@lead-intake/shared';
import type { LeadRequest, LeadResponse } from '@lead-intake/shared/api';
import { TransientError } from '../domain/errors.js';
import { alreadySent, type LeaseRefusal } from '../domain/lease-decision.js';
import type { LeadRecordStore, TaskScheduler, ThreadReader } from '../ports.js';

export interface TriggerLeadDeps {
  records: LeadRecordStore;
  tasks: TaskScheduler;
  /** Only `exists`: a trigger for a thread the store does not have takes no lease. */
  threads: Pick<ThreadReader, 'exists'>;
  /** `auto` evaluations wait this long so a burst of turns yields one evaluation. */
  autoDelaySeconds: number;
  /** The server's own final evaluation, in case the browser never sends another trigger. */
  safetyNetDelaySeconds: number;
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
 * The browser (or the session service) says "this thread may hold a lead". Answer at once:
 * already sent, no such thread, someone else is on it, or a lease was taken and the evaluation
 * task scheduled. Never waits for OpenAI or SES.
 */
export async function triggerLead(deps: TriggerLeadDeps, request: LeadRequest, log: Logger): Promise<TriggerAnswer> {
  const { threadId, reason } = request;
  try {
    // Fast path: one document read answers a sent thread, whether or not the thread store still has it.
    const existing = await deps.records.get(threadId);
    if (existing?.state === 'sent') return refusedReply(alreadySent(existing));

    // One document read; made-up ids get no lease, no task and no upstream read.
    if (!(await deps.threads.exists(threadId))) {
      log.info({ threadId, trigger: reason }, 'lead trigger for a thread the store does not have');
      return { ok: false, sent: false, reason: 'not_found' };
    }

    const lease = await deps.records.acquire(threadId, reason);
    if (lease.kind === 'refused') {
      if (lease.unconfirmedSendSettled) {
        log.fatal(
          { threadId, trigger: reason },
          'an expired lease had started sending and never recorded it; recorded as sent (unconfirmed), not sent again',
        );
      }
      log.info({ threadId, trigger: reason, outcome: lease.refusal.reason }, 'lead trigger answered without a new lease');
      return refusedReply(lease.refusal);
    }

    const context = { threadId, locale: request.locale, pageUrl: request.pageUrl, user: request.user };
    try {
      await deps.tasks.scheduleEvaluation(
        { kind: 'evaluate', leaseId: lease.leaseId, trigger: reason, ...context },
        reason === 'auto' ? deps.autoDelaySeconds : 0,
      );
    } catch (error) {
      const released = await deps.records.release(threadId, lease.leaseId).catch(() => false);
      log.error({ threadId, err: error, released }, 'could not schedule the lead task; lease released');
      throw unavailable(error);
    }

    if (!lease.record.safetyNetScheduled) {
      try {
        await deps.tasks.scheduleSafetyNet({ kind: 'safety_net', trigger: 'safety_net', ...context }, deps.safetyNetDelaySeconds);
        await deps.records.markSafetyNetScheduled(threadId);
      } catch (error) {
        // Not fatal: the next trigger tries again (the task name makes a repeat harmless).
        log.warn({ threadId, err: error }, 'could not schedule the safety-net evaluation yet');
      }
    }

    log.info({ threadId, trigger: reason, attempts: lease.record.attempts, takeover: lease.takeover }, 'lead evaluation queued');
    return { ok: true, sent: false, reason: 'queued' };
  } catch (error) {
    if (error instanceof TransientError) throw unavailable(error);
    throw error;
  }
}

/** The reply to a trigger that took no lease: the record's reason, in the API's words. */
export function refusedReply(refusal: LeaseRefusal): LeadResponse {
  switch (refusal.reason) {
    case 'already_sent':
      return {
        ok: true,
        sent: true,
        reason: 'already_sent',
        ...(refusal.sentAt !== null ? { sent_at: Math.floor(refusal.sentAt / 1000) } : {}),
      };
    case 'not_ready':
    case 'missing_contact':
      return {
        ok: true,
        sent: false,
        reason: refusal.reason,
        ...(refusal.missingInfo.length > 0 ? { missing_info: refusal.missingInfo } : {}),
      };
    case 'in_progress':
    case 'cooldown':
      return { ok: true, sent: false, reason: refusal.reason };
  }
}

function unavailable(cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return unavailableError('We could not take this request right now. Please try again shortly.', cause);
}
