import { createHash } from 'node:crypto';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { DEFAULT_DEADLINE_MS, GrpcStatus, gaxDeadline, grpcCode, withDeadline } from '@lead-intake/shared';
import { TransientError } from '../domain/errors.js';
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

/** Task ids: a hash, so ids are valid, fixed-length and reveal nothing of the thread. */
export const evaluationTaskId = (threadId: string, leaseId: string): string =>
  `lead-${createHash('sha256').update(`${threadId}\u0000${leaseId}`).digest('hex').slice(0, 40)}`;
export const safetyNetTaskId = (threadId: string, retry = 0): string =>
  `safety-${createHash('sha256')
    .update(retry === 0 ? `${threadId}\u0000safety-net` : `${threadId}\u0000safety-net\u0000${retry}`)
    .digest('hex')
    .slice(0, 40)}`;
export const recordSentTaskId = (threadId: string, leaseId: string): string =>
  `sent-${createHash('sha256').update(`${threadId}\u0000${leaseId}\u0000sent`).digest('hex').slice(0, 40)}`;

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
    const scheduleMs = this.now() + delaySeconds * 1000;
    const deadlineMs = this.options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    try {
      await withDeadline('Cloud Tasks', deadlineMs, () =>
        this.client.createTask(
          {
            parent: this.options.queue,
            task: {
              name: `${this.options.queue}/tasks/${taskId}`,
              scheduleTime: { seconds: Math.floor(scheduleMs / 1000), nanos: (scheduleMs % 1000) * 1e6 },
              dispatchDeadline: { seconds: this.options.dispatchDeadlineSeconds },
              httpRequest: {
                httpMethod: 'POST',
                url: this.options.handlerUrl,
                headers: { 'Content-Type': 'application/json' },
                body: Buffer.from(JSON.stringify(payload)).toString('base64'),
                oidcToken: {
                  serviceAccountEmail: this.options.serviceAccountEmail,
                  audience: this.options.audience ?? this.options.handlerUrl,
                },
              },
            },
          },
          gaxDeadline(deadlineMs),
        ),
      );
    } catch (error) {
      if (grpcCode(error) === GrpcStatus.ALREADY_EXISTS) return;
      throw new TransientError(`Cloud Tasks could not schedule the lead task: ${(error as Error).message}`, { cause: error });
    }
  }
}
