import type { Logger } from 'pino';
import { ThreadNotFoundError, TransientError } from '../domain/errors.js';
import { scheduledWork } from '../domain/lead-machine.js';
import type { Transcript } from '../domain/transcript.js';
import type { LeadTaskDeps, LeaseWork, TaskAttempt, TaskOutcome } from './lead-task.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from '../task-payload.js';

export type { LeadTaskDeps, TaskAttempt, TaskOutcome } from './lead-task.js';
import { recordSentFollowUp, settleInterruptedSend } from './deliver-lead.js';
import { evaluateLead } from './evaluate-lead.js';
import { carryOut, recordFinalFailure } from './lead-effects.js';
import { sendFollowUp } from './send-follow-up.js';
import { triggerLead } from './trigger-lead.js';

/**
 * A lead task. `evaluate`: under its lease, read the thread and do the lease's work (the lead
 * email, or a follow-up with what the customer wrote after it). `safety_net`: the server's own
 * trigger. `record_sent`: record a send Firestore failed to record. Throws TransientError to have
 * Cloud Tasks retry; anything else is settled here. Never throws once SES may have the email.
 */
export async function runLeadTask(
  deps: LeadTaskDeps,
  payload: LeadTaskPayload | RecordSentTaskPayload,
  attempt: TaskAttempt,
  log: Logger,
): Promise<TaskOutcome> {
  if (payload.kind === 'record_sent') {
    const { outcome, effects } = await recordSentFollowUp(deps, payload, log);
    await carryOut(deps, payload.threadId, effects, {}, log);
    return outcome;
  }
  if (payload.kind === 'safety_net') return runSafetyNet(deps, payload, log);
  if (!payload.leaseId) return 'stale';
  return runUnderLease(deps, payload, payload.leaseId, attempt, log);
}

/** The safety net is a trigger of the server's own: busy or cooling down, it comes back later (the queue's backoff). */
async function runSafetyNet(deps: LeadTaskDeps, payload: LeadTaskPayload, log: Logger): Promise<TaskOutcome> {
  const answer = await triggerLead(deps, { ...payload, reason: 'safety_net' }, log.child({ safetyNet: true }));
  if (answer.reason === 'in_progress' || answer.reason === 'cooldown') throw new TransientError(`safety net deferred: ${answer.reason}`);
  if (answer.reason === 'already_sent') return 'already_sent';
  if (answer.reason === 'not_ready' || answer.reason === 'missing_contact') return answer.reason;
  return 'queued';
}

async function runUnderLease(
  deps: LeadTaskDeps,
  payload: LeadTaskPayload,
  leaseId: string,
  attempt: TaskAttempt,
  log: Logger,
): Promise<TaskOutcome> {
  const { threadId } = payload;
  const record = await deps.records.get(threadId);
  const lease = record?.lease;
  if (!record || !lease || lease.id !== leaseId) {
    log.info({ threadId }, 'stale lead task: its lease is no longer current');
    // The step that ended ours may have taken a new lease and landed unheard: make sure its task exists.
    if (record) await carryOut(deps, threadId, scheduledWork(record, deps.now()), payload, log, { renewed: true });
    return record?.lead?.leaseId === leaseId ? 'already_sent' : 'stale';
  }
  if (lease.send) {
    // This task ran before and got as far as sending (then crashed, or lost its answer): SES may have the email.
    const effects = await settleInterruptedSend(deps, threadId, leaseId, log);
    await carryOut(deps, threadId, effects, payload, log);
    return 'sent_unconfirmed';
  }
  const finalAttempt = attempt.retryCount + 1 >= attempt.maxAttempts;

  let transcript: Transcript;
  try {
    transcript = await deps.threads.fetchTranscript(threadId);
  } catch (error) {
    if (error instanceof TransientError && !finalAttempt) throw error;
    if (error instanceof ThreadNotFoundError) log.warn({ threadId }, 'the thread is gone (deleted or expired); nothing to evaluate');
    else log.error({ threadId, err: error }, 'cannot read the thread; giving up on this attempt');
    await recordFinalFailure(deps, threadId, leaseId, payload, log);
    return 'failed';
  }

  const work: LeaseWork = { record, lease, transcript, payload, finalAttempt };
  return lease.purpose === 'lead' ? evaluateLead(deps, work, log) : sendFollowUp(deps, work, log);
}
