import type { CloudTasksClient } from '@google-cloud/tasks';
import { createHttpTask, hashedTaskId } from '@lead-intake/shared';
import type { TaskScheduler } from '../ports.js';
import type { LeadTaskPayload, RecordSentTaskPayload } from '../task-payload.js';

export interface CloudTasksSchedulerOptions {
  /** `projects/<p>/locations/<l>/queues/<q>` */
  queue: string;
  /** The worker endpoint, e.g. https://chatkit-lead-xyz-uw.a.run.app/tasks/lead */
  handlerUrl: string;
  /** Service account whose OIDC token the task carries. */
  serviceAccountEmail: string;
  /** OIDC audience; default the handler URL. */
  audience?: string | undefined;
  dispatchDeadlineSeconds: number;
  /** Each createTask gives up after this long (TransientError); default 5 s. */
  deadlineMs?: number | undefined;
  now?: () => number;
}

/** Task ids: hashed from thread + lease (hashedTaskId), so a double enqueue is harmless. */
export const evaluationTaskId = (threadId: string, leaseId: string): string => hashedTaskId('lead', threadId, leaseId);
export const safetyNetTaskId = (threadId: string, retry = 0): string =>
  retry === 0 ? hashedTaskId('safety', threadId, 'safety-net') : hashedTaskId('safety', threadId, 'safety-net', String(retry));
export const recordSentTaskId = (threadId: string, leaseId: string): string => hashedTaskId('sent', threadId, leaseId, 'sent');

/**
 * Adapter: HTTP-target Cloud Tasks with an OIDC token. Names derive from thread + lease, so
 * enqueueing the same task twice yields ALREADY_EXISTS, which counts as success.
 */
export class CloudTasksScheduler implements TaskScheduler {
  private readonly now: () => number;

  constructor(
    private readonly client: CloudTasksClient,
    private readonly options: CloudTasksSchedulerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  scheduleEvaluation(payload: LeadTaskPayload & { leaseId: string }, delaySeconds: number): Promise<void> {
    return this.create(evaluationTaskId(payload.threadId, payload.leaseId), payload, delaySeconds);
  }

  scheduleSafetyNet(payload: LeadTaskPayload, delaySeconds: number, retry = 0): Promise<void> {
    return this.create(safetyNetTaskId(payload.threadId, retry), payload, delaySeconds);
  }

  scheduleRecordSent(payload: RecordSentTaskPayload, delaySeconds: number): Promise<void> {
    return this.create(recordSentTaskId(payload.threadId, payload.leaseId), payload, delaySeconds);
  }

  private async create(taskId: string, payload: LeadTaskPayload | RecordSentTaskPayload, delaySeconds: number): Promise<void> {
    const { queue, handlerUrl, serviceAccountEmail, audience, dispatchDeadlineSeconds, deadlineMs } = this.options;
    await createHttpTask(
      this.client,
      { queue, url: handlerUrl, serviceAccountEmail, audience, dispatchDeadlineSeconds, deadlineMs },
      { id: taskId, body: payload, scheduleTimeMs: this.now() + delaySeconds * 1000 },
    );
  }
}
