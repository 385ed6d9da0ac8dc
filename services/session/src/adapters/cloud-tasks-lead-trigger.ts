import type { CloudTasksClient } from '@google-cloud/tasks';
import { createHttpTask, hashedTaskId } from '@lead-intake/shared';
import type { LeadTrigger, LeadTurnSignal } from '../ports.js';

export interface CloudTasksLeadTriggerOptions {
  /** `projects/<p>/locations/<l>/queues/<q>` */
  queue: string;
  /** The lead service's OIDC-protected trigger endpoint, e.g. https://chatkit-lead-….run.app/tasks/trigger */
  url: string;
  /** The account Cloud Tasks signs the OIDC token as (the lead service accepts only it). */
  serviceAccountEmail: string;
  audience?: string | undefined;
  /** Each createTask gives up after this long; default 5 s. */
  deadlineMs?: number | undefined;
}

/** One task per ended turn: the name derives from thread + turn, so a re-sent signal is a no-op. */
const triggerTaskId = (threadId: string, turnItemId: string): string => hashedTaskId('auto', threadId, turnItemId);

/**
 * Adapter: the `auto` trigger as a Cloud Task to the lead service (decision 0008). The turn does
 * not wait for the lead pipeline, the queue retries while the lead service is down, and bursts
 * of turns are coalesced by the lead service's own delayed `auto` lease.
 */
export class CloudTasksLeadTrigger implements LeadTrigger {
  constructor(
    private readonly client: CloudTasksClient,
    private readonly options: CloudTasksLeadTriggerOptions,
  ) {}

  async turnCompleted(signal: LeadTurnSignal): Promise<void> {
    const body = {
      threadId: signal.threadId,
      reason: 'auto',
      locale: signal.locale,
      user: signal.user,
      ...(signal.pageUrl ? { pageUrl: signal.pageUrl } : {}),
    };
    const { queue, url, serviceAccountEmail, audience, deadlineMs } = this.options;
    await createHttpTask(
      this.client,
      { queue, url, serviceAccountEmail, audience, deadlineMs },
      { id: triggerTaskId(signal.threadId, signal.turnItemId), body },
    );
  }
}

/** When no trigger URL is configured (a session service run alone): the browser triggers remain. */
export const noLeadTrigger: LeadTrigger = { turnCompleted: async () => {} };
