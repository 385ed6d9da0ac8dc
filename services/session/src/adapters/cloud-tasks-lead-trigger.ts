import { createHash } from 'node:crypto';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { DEFAULT_DEADLINE_MS, GrpcStatus, gaxDeadline, grpcCode, withDeadline } from '@lead-intake/shared';
import type { LeadTriggerPort, LeadTurnSignal } from '../ports.js';

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
const triggerTaskId = (threadId: string, turnItemId: string): string =>
  `auto-${createHash('sha256').update(`${threadId}\u0000${turnItemId}`).digest('hex').slice(0, 40)}`;

/**
 * Adapter: the `auto` trigger as a Cloud Task to the lead service (decision 0008). The turn does
 * not wait for the lead pipeline, the queue retries while the lead service is down, and bursts
 * of turns are coalesced by the lead service's own delayed `auto` lease.
 */
export class CloudTasksLeadTrigger implements LeadTriggerPort {
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
    const deadlineMs = this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    try {
      await withDeadline('Cloud Tasks', deadlineMs, () =>
        this.client.createTask(
          {
            parent: this.options.queue,
            task: {
              name: `${this.options.queue}/tasks/${triggerTaskId(signal.threadId, signal.turnItemId)}`,
              httpRequest: {
                httpMethod: 'POST',
                url: this.options.url,
                headers: { 'Content-Type': 'application/json' },
                body: Buffer.from(JSON.stringify(body)).toString('base64'),
                oidcToken: { serviceAccountEmail: this.options.serviceAccountEmail, audience: this.options.audience ?? this.options.url },
              },
            },
          },
          gaxDeadline(deadlineMs),
        ),
      );
    } catch (error) {
      if (grpcCode(error) === GrpcStatus.ALREADY_EXISTS) return;
      throw error;
    }
  }
}

/** When no trigger URL is configured (a session service run alone): the browser triggers remain. */
export const noLeadTrigger: LeadTriggerPort = { turnCompleted: async () => {} };
