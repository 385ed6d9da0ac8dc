import type { ShopProfile } from '@lead-intake/shared';
import type { Lease, LeadRecord } from '../domain/lead-record.js';
import type { Transcript } from '../domain/transcript.js';
import type { Summarizer, TaskScheduler, ThreadReader } from '../ports.js';
import type { LeadTaskPayload } from '../task-payload.js';
import type { DeliveryDeps } from './deliver-lead.js';
import type { EffectDeps } from './lead-effects.js';

/** What a lead task works with, and what it can end in. */

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
