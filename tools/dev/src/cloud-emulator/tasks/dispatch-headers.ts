import { shortId } from './names.js';
import type { TaskRecord } from './model.js';

/**
 * Headers Cloud Tasks adds to HTTP target requests
 * (https://cloud.google.com/tasks/docs/creating-http-target-tasks#handler):
 * X-CloudTasks-QueueName, -TaskName (short ids), -TaskRetryCount (earlier attempts),
 * -TaskExecutionCount (earlier attempts that got a handler response), -TaskETA (schedule time,
 * seconds since epoch), and on retries -TaskPreviousResponse (previous HTTP status) and
 * -TaskRetryReason. User-Agent is "Google-Cloud-Tasks".
 */

/** Headers a task may not set: the service replaces or drops them. */
const RESERVED = [
  /^host$/i,
  /^content-length$/i,
  /^user-agent$/i,
  /^connection$/i,
  /^transfer-encoding$/i,
  /^x-cloudtasks-/i,
  /^x-google-/i,
  /^x-appengine-/i,
];

export function dispatchHeaders(task: TaskRecord, scheduleTimeMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(task.http.headers)) {
    if (!RESERVED.some((pattern) => pattern.test(name))) headers[name] = value;
  }
  if (task.http.body && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = 'application/octet-stream';
  }
  headers['User-Agent'] = 'Google-Cloud-Tasks';
  headers['X-CloudTasks-QueueName'] = shortId(task.queueName);
  headers['X-CloudTasks-TaskName'] = shortId(task.name);
  headers['X-CloudTasks-TaskRetryCount'] = String(task.dispatchCount);
  headers['X-CloudTasks-TaskExecutionCount'] = String(task.responseCount);
  headers['X-CloudTasks-TaskETA'] = (scheduleTimeMs / 1000).toFixed(6);
  const previous = task.attempts.at(-1);
  if (previous) {
    if (previous.httpStatus !== undefined) headers['X-CloudTasks-TaskPreviousResponse'] = String(previous.httpStatus);
    if (previous.message) headers['X-CloudTasks-TaskRetryReason'] = previous.message;
  }
  return headers;
}

/** An OIDC/OAuth token replaces any Authorization header the task set itself. */
export function withAuthorization(headers: Record<string, string>, authorization: string | undefined): Record<string, string> {
  if (!authorization) return headers;
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'authorization') result[name] = value;
  result.Authorization = authorization;
  return result;
}
