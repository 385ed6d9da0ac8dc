import { toDuration, toTimestamp } from '../proto-time.js';
import type { AttemptRecord, QueueRecord, TaskRecord } from './model.js';

/** Records → google.cloud.tasks.v2 messages (object form for proto-loader). */

export function queueToProto(queue: QueueRecord): Record<string, unknown> {
  const { retry, rate } = queue.config;
  return {
    name: queue.name,
    rateLimits: {
      maxDispatchesPerSecond: rate.maxDispatchesPerSecond,
      maxBurstSize: rate.maxBurstSize,
      maxConcurrentDispatches: rate.maxConcurrentDispatches,
    },
    retryConfig: {
      maxAttempts: retry.maxAttempts,
      maxRetryDuration: retry.maxRetryDurationMs > 0 ? toDuration(retry.maxRetryDurationMs) : undefined,
      minBackoff: toDuration(retry.minBackoffMs),
      maxBackoff: toDuration(retry.maxBackoffMs),
      maxDoublings: retry.maxDoublings,
    },
    state: queue.state,
    purgeTime: queue.purgeTimeMs === undefined ? undefined : toTimestamp(queue.purgeTimeMs),
    stackdriverLoggingConfig:
      queue.config.stackdriverSamplingRatio === undefined ? undefined : { samplingRatio: queue.config.stackdriverSamplingRatio },
  };
}

function attemptToProto(attempt: AttemptRecord | undefined, onlyDispatchTime: boolean): Record<string, unknown> | undefined {
  if (!attempt) return undefined;
  if (onlyDispatchTime) return { dispatchTime: toTimestamp(attempt.dispatchTimeMs) };
  return {
    scheduleTime: toTimestamp(attempt.scheduleTimeMs),
    dispatchTime: toTimestamp(attempt.dispatchTimeMs),
    responseTime: attempt.responseTimeMs === undefined ? undefined : toTimestamp(attempt.responseTimeMs),
    responseStatus: attempt.rpcCode === undefined ? undefined : { code: attempt.rpcCode, message: attempt.message ?? '' },
  };
}

export type TaskView = 'BASIC' | 'FULL';

/** BASIC omits the body (it can be large or sensitive), as the real service does. */
export function taskToProto(task: TaskRecord, view: TaskView): Record<string, unknown> {
  const http = task.http;
  return {
    name: task.name,
    httpRequest: {
      url: http.url,
      httpMethod: http.method,
      headers: http.headers,
      body: view === 'FULL' ? http.body : undefined,
      oidcToken: http.oidcToken
        ? { serviceAccountEmail: http.oidcToken.serviceAccountEmail, audience: http.oidcToken.audience ?? '' }
        : undefined,
      oauthToken: http.oauthToken
        ? { serviceAccountEmail: http.oauthToken.serviceAccountEmail, scope: http.oauthToken.scope ?? '' }
        : undefined,
    },
    scheduleTime: toTimestamp(task.scheduleTimeMs),
    createTime: toTimestamp(task.createTimeMs),
    dispatchDeadline: toDuration(task.dispatchDeadlineMs),
    dispatchCount: task.dispatchCount,
    responseCount: task.responseCount,
    // "first_attempt: Only dispatch_time will be set."
    firstAttempt: attemptToProto(task.attempts[0], true),
    lastAttempt: attemptToProto(task.attempts.at(-1), false),
    view,
  };
}

export function viewOf(requested: string | undefined): TaskView {
  return requested === 'FULL' ? 'FULL' : 'BASIC';
}
