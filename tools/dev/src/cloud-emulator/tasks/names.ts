import { invalidArgument } from '../grpc-errors.js';

/** Cloud Tasks v2 resource names and id rules. */

const LOCATION = /^projects\/([^/]+)\/locations\/([^/]+)$/;
const QUEUE = /^(projects\/[^/]+\/locations\/[^/]+)\/queues\/([^/]+)$/;
const TASK = /^(projects\/[^/]+\/locations\/[^/]+\/queues\/[^/]+)\/tasks\/([^/]+)$/;
/** Queue ids: letters, numbers, hyphens; at most 100 characters. */
const QUEUE_ID = /^[A-Za-z0-9-]{1,100}$/;
/** Task ids: letters, numbers, hyphens, underscores; at most 500 characters. */
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;

export function parseLocation(parent: string | undefined): string {
  const match = LOCATION.exec(parent ?? '');
  if (!match) throw invalidArgument(`Invalid resource field value in the request: parent "${parent ?? ''}".`);
  return match[0];
}

export function parseQueueName(name: string | undefined): { location: string; queueId: string; name: string } {
  const match = QUEUE.exec(name ?? '');
  const queueId = match?.[2] ?? '';
  if (!match || !QUEUE_ID.test(queueId)) {
    throw invalidArgument(
      `Invalid queue name "${name ?? ''}": expected projects/PROJECT/locations/LOCATION/queues/QUEUE_ID where QUEUE_ID has only letters, numbers and hyphens (max 100).`,
    );
  }
  return { location: match[1] ?? '', queueId, name: match[0] };
}

export function parseTaskName(name: string | undefined): { queue: string; taskId: string; name: string } {
  const match = TASK.exec(name ?? '');
  const taskId = match?.[2] ?? '';
  if (!match || !TASK_ID.test(taskId)) {
    throw invalidArgument(
      `Invalid task name "${name ?? ''}": expected QUEUE_NAME/tasks/TASK_ID where TASK_ID has only letters, numbers, hyphens and underscores (max 500).`,
    );
  }
  parseQueueName(match[1]);
  return { queue: match[1] ?? '', taskId, name: match[0] };
}

/** Helpers and the CLI accept a queue id (in the default project/location) or a full name. */
export function resolveQueueName(nameOrId: string, projectId: string, location: string): string {
  if (nameOrId.startsWith('projects/')) return parseQueueName(nameOrId).name;
  return parseQueueName(`projects/${projectId}/locations/${location}/queues/${nameOrId}`).name;
}

export function shortId(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
