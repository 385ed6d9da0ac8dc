import type { Logger } from 'pino';
import type { LeadEffect } from '../domain/lead-machine.js';
import type { LeadRecordStore, TaskScheduler } from '../ports.js';
import type { LeadTaskPayload } from '../task-payload.js';

export interface EffectDeps {
  records: LeadRecordStore;
  tasks: Pick<TaskScheduler, 'scheduleEvaluation' | 'scheduleSafetyNet'>;
  /** The server's own final evaluation, in case the browser never sends another trigger. */
  safetyNetDelaySeconds: number;
}

/** What the tasks carry from the trigger that started them (the email shows the page and its language). */
export type TaskContext = Pick<LeadTaskPayload, 'locale' | 'pageUrl' | 'user'>;

/**
 * Carries out what a committed step of the lead machine asked for. A new lease whose task cannot
 * be scheduled is released (the next trigger may take the thread at once) and its error
 * returned; a task scheduled again for a lease someone else took (`renewed`) is left as it is;
 * a safety net that cannot be scheduled is tried again by the next trigger.
 */
export async function carryOut(
  deps: EffectDeps,
  threadId: string,
  effects: readonly LeadEffect[],
  context: TaskContext,
  log: Logger,
  options: { renewed?: boolean } = {},
): Promise<{ unscheduled: unknown[] }> {
  const unscheduled: unknown[] = [];
  const task = { threadId, ...definedOnly(context) };
  for (const effect of effects) {
    if (effect.type === 'run_task') {
      try {
        await deps.tasks.scheduleEvaluation(
          { kind: 'evaluate', leaseId: effect.leaseId, trigger: effect.trigger, ...task },
          Math.ceil(Math.max(0, effect.delayMs) / 1000),
        );
      } catch (error) {
        if (options.renewed) {
          log.warn({ threadId, err: error, purpose: effect.purpose }, 'could not schedule the lease task again');
          unscheduled.push(error);
          continue;
        }
        const released = await deps.records
          .apply(threadId, { type: 'released', leaseId: effect.leaseId })
          .then((step) => step.result.released)
          .catch(() => false);
        log.error({ threadId, err: error, released, purpose: effect.purpose }, 'could not schedule the lead task; lease released');
        unscheduled.push(error);
      }
    } else if (effect.retry) {
      try {
        await deps.tasks.scheduleSafetyNet(
          { kind: 'safety_net', trigger: 'safety_net', ...task },
          Math.ceil(effect.retry.delayMs / 1000),
          effect.retry.attempt,
        );
      } catch (error) {
        log.fatal(
          { threadId, err: error, retry: effect.retry.attempt },
          'a final failure and its retry could not be scheduled: resend the lead',
        );
      }
    } else {
      try {
        await deps.tasks.scheduleSafetyNet({ kind: 'safety_net', trigger: 'safety_net', ...task }, deps.safetyNetDelaySeconds);
        await deps.records.apply(threadId, { type: 'safety_net_scheduled' });
      } catch (error) {
        // Not fatal: the next trigger tries again (the task name makes a repeat harmless).
        log.warn({ threadId, err: error }, 'could not schedule the safety-net evaluation yet');
      }
    }
  }
  return { unscheduled };
}

/** The context fields only (callers pass whole payloads), without undefined values. */
function definedOnly(context: TaskContext): TaskContext {
  const { locale, pageUrl, user } = context;
  return { ...(locale ? { locale } : {}), ...(pageUrl ? { pageUrl } : {}), ...(user ? { user } : {}) };
}

/**
 * A final failure (nothing sent): the lease ends in a cooldown, the server retries after it (a
 * few times); past the last retry an operator must look (CRITICAL).
 */
export async function recordFinalFailure(
  deps: EffectDeps,
  threadId: string,
  leaseId: string,
  context: TaskContext,
  log: Logger,
): Promise<void> {
  const step = await deps.records.apply(threadId, { type: 'failed', leaseId });
  await carryOut(deps, threadId, step.result.effects, context, log);
  if (step.result.current && !step.result.retrying) {
    log.fatal(
      { threadId, failures: step.record?.failures },
      'the lead failed for good again and is not retried any more: check it and resend it',
    );
  }
}
