import type { Clock } from '../clock.js';
import type { AttemptRecord, QueueRecord, TaskRecord, TaskStatus } from './model.js';
import { resolveQueueName } from './names.js';
import type { CloudTasksOperations } from './operations.js';
import type { QueueInput } from './queue-config.js';
import type { TaskRegistry } from './registry.js';

/** Read-only snapshots of queues/tasks for tests, the dev runner and the inspection page. */

export interface AttemptSnapshot {
  attempt: number;
  /** Emulated epoch ms (see CloudEmulator.clock). */
  scheduleTimeMs: number;
  dispatchTimeMs: number;
  responseTimeMs: number | null;
  httpStatus: number | null;
  /** google.rpc.Code; 0 = success. */
  rpcCode: number | null;
  message: string | null;
  forced: boolean;
}

export interface TaskSnapshot {
  name: string;
  queue: string;
  status: TaskStatus;
  url: string;
  method: string;
  createTime: string;
  /** Next attempt (live tasks); for running tasks the time the current attempt was due. */
  scheduleTime: string;
  scheduleTimeMs: number;
  nextAttemptTime: string | null;
  dispatchDeadlineMs: number;
  dispatchCount: number;
  responseCount: number;
  lastResponseStatus: number | null;
  finishTime: string | null;
  attempts: AttemptSnapshot[];
}

export interface QueueSnapshot {
  name: string;
  state: 'RUNNING' | 'PAUSED';
  retryConfig: QueueRecord['config']['retry'];
  rateLimits: QueueRecord['config']['rate'];
  inFlight: number;
  tasks: TaskSnapshot[];
}

export interface TaskHelpers {
  /**
   * Returns the full name of queue `nameOrId` (short id or full name), creating it if needed.
   * With `config`, the queue's whole configuration is replaced (unset fields = service defaults);
   * without, an existing queue is left as it is.
   */
  ensureQueue(nameOrId: string, config?: Omit<QueueInput, 'name'>): string;
  queues(): QueueSnapshot[];
  /** Live tasks (scheduled or dispatching), optionally of one queue. */
  list(queueNameOrId?: string): TaskSnapshot[];
  /** Tasks that succeeded, failed permanently, or were deleted/purged (most recent last). */
  finished(queueNameOrId?: string): TaskSnapshot[];
  /** A live or finished task. */
  get(taskName: string): TaskSnapshot | undefined;
  /** Resolves once the task has left the queue (succeeded, failed, deleted, purged). */
  waitForTask(taskName: string, options?: { timeoutMs?: number }): Promise<TaskSnapshot>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function attemptSnapshot(attempt: AttemptRecord): AttemptSnapshot {
  return {
    attempt: attempt.number,
    scheduleTimeMs: attempt.scheduleTimeMs,
    dispatchTimeMs: attempt.dispatchTimeMs,
    responseTimeMs: attempt.responseTimeMs ?? null,
    httpStatus: attempt.httpStatus ?? null,
    rpcCode: attempt.rpcCode ?? null,
    message: attempt.message ?? null,
    forced: attempt.forced,
  };
}

function taskSnapshot(task: TaskRecord): TaskSnapshot {
  const live = task.status === 'scheduled' || task.status === 'dispatching';
  const lastWithStatus = [...task.attempts].reverse().find((a) => a.httpStatus !== undefined);
  return {
    name: task.name,
    queue: task.queueName,
    status: task.status,
    url: task.http.url,
    method: task.http.method,
    createTime: iso(task.createTimeMs),
    scheduleTime: iso(task.scheduleTimeMs),
    scheduleTimeMs: task.scheduleTimeMs,
    nextAttemptTime: task.status === 'scheduled' ? iso(task.scheduleTimeMs) : null,
    dispatchDeadlineMs: task.dispatchDeadlineMs,
    dispatchCount: task.dispatchCount,
    responseCount: task.responseCount,
    lastResponseStatus: lastWithStatus?.httpStatus ?? null,
    finishTime: !live && task.finishTimeMs !== undefined ? iso(task.finishTimeMs) : null,
    attempts: task.attempts.map(attemptSnapshot),
  };
}

export function createTaskHelpers(deps: {
  registry: TaskRegistry;
  operations: CloudTasksOperations;
  clock: Clock;
  projectId: string;
  location: string;
}): TaskHelpers {
  const { registry, operations } = deps;
  const resolve = (nameOrId: string): string => resolveQueueName(nameOrId, deps.projectId, deps.location);
  const liveTasks = (queue: QueueRecord): TaskSnapshot[] =>
    [...queue.tasks.values()].sort((a, b) => a.scheduleTimeMs - b.scheduleTimeMs).map(taskSnapshot);
  const findFinished = (name: string): TaskRecord | undefined => registry.history.findLast((task) => task.name === name);

  return {
    ensureQueue(nameOrId, config) {
      const name = resolve(nameOrId);
      if (config === undefined && registry.queues.has(name)) return name;
      return operations.updateQueue({ ...config, name }, undefined).name;
    },
    queues: () =>
      [...registry.queues.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((queue) => ({
          name: queue.name,
          state: queue.state,
          retryConfig: { ...queue.config.retry },
          rateLimits: { ...queue.config.rate },
          inFlight: queue.inFlight,
          tasks: liveTasks(queue),
        })),
    list(queueNameOrId) {
      const queues = queueNameOrId ? [registry.getQueue(resolve(queueNameOrId))] : [...registry.queues.values()];
      return queues.flatMap(liveTasks);
    },
    finished(queueNameOrId) {
      const queue = queueNameOrId ? resolve(queueNameOrId) : undefined;
      return registry.history.filter((task) => !queue || task.queueName === queue).map(taskSnapshot);
    },
    get(taskName) {
      for (const queue of registry.queues.values()) {
        const task = queue.tasks.get(taskName);
        if (task) return taskSnapshot(task);
      }
      const done = findFinished(taskName);
      return done ? taskSnapshot(done) : undefined;
    },
    waitForTask(taskName, options = {}) {
      const done = findFinished(taskName);
      const live = [...registry.queues.values()].some((queue) => queue.tasks.has(taskName));
      if (done && !live) return Promise.resolve(taskSnapshot(done));
      const timeoutMs = options.timeoutMs ?? 10_000;
      return new Promise((resolvePromise, reject) => {
        const onFinished = (task: TaskRecord): void => {
          if (task.name !== taskName) return;
          clearTimeout(timer);
          registry.events.off('finished', onFinished);
          resolvePromise(taskSnapshot(task));
        };
        const timer = setTimeout(() => {
          registry.events.off('finished', onFinished);
          reject(new Error(`task ${taskName} did not finish within ${timeoutMs} ms (real time)`));
        }, timeoutMs);
        registry.events.on('finished', onFinished);
      });
    },
  };
}
