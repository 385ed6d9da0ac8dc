import { createHash } from 'node:crypto';
import type { CloudTasksClient } from '@google-cloud/tasks';
import { TransientError } from '../errors/transient-error.js';
import { GrpcStatus, cloudCall, grpcCode } from './clients.js';
import { DEFAULT_DEADLINE_MS, gaxDeadline } from './deadline.js';

/**
 * A task id that is a hash of what the task is for: valid, fixed-length, revealing nothing of
 * the thread, and the same for the same work, so a repeated enqueue is ALREADY_EXISTS.
 */
export const hashedTaskId = (prefix: string, ...parts: readonly string[]): string =>
  `${prefix}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40)}`;

/** Where a service's HTTP tasks go: a queue, the endpoint, and the OIDC identity Cloud Tasks signs as. */
export interface HttpTaskTarget {
  /** `projects/<p>/locations/<l>/queues/<q>` */
  queue: string;
  url: string;
  /** The account Cloud Tasks signs the OIDC token as (the receiving service accepts only it). */
  serviceAccountEmail: string;
  /** OIDC audience; default the URL. */
  audience?: string | undefined;
  /** How long the endpoint may take per attempt; default Cloud Tasks' own. */
  dispatchDeadlineSeconds?: number | undefined;
  /** Each createTask gives up after this long; default 5 s. */
  deadlineMs?: number | undefined;
}

/**
 * Creates an HTTP-target task (JSON body, OIDC token) named `<queue>/tasks/<id>`. A task of
 * that name already there is success ('exists'): ids are hashed from the work (hashedTaskId).
 * Any other failure is a TransientError: the caller's work is retried later.
 */
export async function createHttpTask(
  client: CloudTasksClient,
  target: HttpTaskTarget,
  task: { id: string; body: unknown; scheduleTimeMs?: number },
): Promise<'created' | 'exists'> {
  const deadlineMs = target.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const at = task.scheduleTimeMs;
  try {
    await cloudCall('Cloud Tasks', deadlineMs, () =>
      client.createTask(
        {
          parent: target.queue,
          task: {
            name: `${target.queue}/tasks/${task.id}`,
            ...(at !== undefined ? { scheduleTime: { seconds: Math.floor(at / 1000), nanos: (at % 1000) * 1e6 } } : {}),
            ...(target.dispatchDeadlineSeconds !== undefined ? { dispatchDeadline: { seconds: target.dispatchDeadlineSeconds } } : {}),
            httpRequest: {
              httpMethod: 'POST',
              url: target.url,
              headers: { 'Content-Type': 'application/json' },
              body: Buffer.from(JSON.stringify(task.body)).toString('base64'),
              oidcToken: { serviceAccountEmail: target.serviceAccountEmail, audience: target.audience ?? target.url },
            },
          },
        },
        gaxDeadline(deadlineMs),
      ),
    );
    return 'created';
  } catch (error) {
    if (grpcCode(error) === GrpcStatus.ALREADY_EXISTS) return 'exists';
    if (error instanceof TransientError) throw error;
    throw new TransientError(`Cloud Tasks could not create the task: ${(error as Error).message}`, { cause: error });
  }
}
