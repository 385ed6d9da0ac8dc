import type { Logger } from 'pino';
import type { ShopProfile } from '@lead-intake/shared';
import { ThreadNotFoundError, TransientError } from '../domain/errors.js';
import { scheduledWork } from '../domain/lead-machine.js';
import type { Lease, LeadRecord } from '../domain/lead-record.js';
import type { Transcript } from '../domain/transcript.js';
import type { Summarizer, TaskScheduler, ThreadReader } from '../ports.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from '../task-payload.js';
import { recordSentFollowUp, settleInterruptedSend, type DeliveryDeps } from './deliver-lead.js';
import { evaluateLead } from './evaluate-lead.js';
import { carryOut, recordFinalFailure, type EffectDeps } from './lead-effects.js';
import { sendFollowUp } from './send-follow-up.js';
import { triggerLead } from './trigger-lead.js';

export interface LeadTaskDeps extends Omit<DeliveryDeps, 'tasks'>, Omit<EffectDeps, 'tasks'> {
  tasks: TaskScheduler;
  /** The clock the lead records are written with (epoch ms). */
  now: () => number;
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
  /** The record-sent task recorded a send. */
  | 'recorded'
  | 'follow_up_sent'
  /** A follow-up lease found no customer message the shop does not have. */
  | 'nothing_new'
  /** The safety net took a lease and scheduled its evaluation (or found nothing to do). */
  | 'queued'
  | 'failed';

/** What the lease's work needs: the record as read, its lease, the transcript. */
export interface LeaseWork {
  record: LeadRecord;
  lease: Lease;
  transcript: Transcript;
  payload: LeadTaskPayload;
  finalAttempt: boolean;
}

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
