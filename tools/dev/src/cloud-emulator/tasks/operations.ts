import { randomInt } from 'node:crypto';
import type { Clock } from '../clock.js';
import { alreadyExists, failedPrecondition, invalidArgument } from '../grpc-errors.js';
import type { Dispatcher } from './dispatcher.js';
import type { QueueRecord, TaskRecord } from './model.js';
import { parseLocation, parseQueueName, parseTaskName } from './names.js';
import { applyQueueInput, defaultQueueConfig } from './queue-config.js';
import type { QueueInput } from './queue-config.js';
import type { TaskRegistry } from './registry.js';
import { normalizeDispatchDeadline, normalizeHttpRequest, normalizeScheduleTime } from './task-input.js';
import type { TaskInput } from './task-input.js';

/** The Cloud Tasks v2 operations with the real service's rules, over the registry. */
export class CloudTasksOperations {
  constructor(
    private readonly clock: Clock,
    private readonly registry: TaskRegistry,
    private readonly dispatcher: Dispatcher,
  ) {}

  createQueue(parent: string | undefined, input: QueueInput | null | undefined): QueueRecord {
    const location = parseLocation(parent);
    if (!input) throw invalidArgument('Queue must be set.');
    const { name } = parseQueueName(input.name);
    if (!name.startsWith(`${location}/queues/`)) {
      throw invalidArgument(`Queue name "${name}" is not in parent "${location}".`);
    }
    if (this.registry.queues.has(name)) throw alreadyExists(`Queue [${name}] already exists.`);
    if (this.registry.isQueueNameReserved(name)) {
      throw failedPrecondition(`The queue cannot be created because a queue with this name existed too recently: ${name}`);
    }
    return this.insertQueue(name, applyQueueInput(defaultQueueConfig(), input));
  }

  /** UpdateQueue creates the queue when it does not exist, like the real method. */
  updateQueue(input: QueueInput | null | undefined, maskPaths: readonly string[] | undefined): QueueRecord {
    if (!input) throw invalidArgument('Queue must be set.');
    const { name } = parseQueueName(input.name);
    const existing = this.registry.queues.get(name);
    if (!existing) {
      if (this.registry.isQueueNameReserved(name)) {
        throw failedPrecondition(`The queue cannot be created because a queue with this name existed too recently: ${name}`);
      }
      return this.insertQueue(name, applyQueueInput(defaultQueueConfig(), input, maskPaths));
    }
    existing.config = applyQueueInput(existing.config, input, maskPaths);
    this.dispatcher.kick();
    return existing;
  }

  getQueue(name: string | undefined): QueueRecord {
    return this.registry.getQueue(parseQueueName(name).name);
  }

  listQueues(parent: string | undefined, filter: string | undefined): QueueRecord[] {
    const location = parseLocation(parent);
    const state = parseStateFilter(filter);
    return [...this.registry.queues.values()]
      .filter((queue) => parseQueueName(queue.name).location === location)
      .filter((queue) => state === undefined || queue.state === state)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  deleteQueue(name: string | undefined): void {
    this.registry.removeQueue(this.getQueue(name));
  }

  /** Deletes all tasks in the queue (the real purge takes up to a minute; here it is immediate). */
  purgeQueue(name: string | undefined): QueueRecord {
    const queue = this.getQueue(name);
    queue.purgeTimeMs = this.clock.now();
    for (const task of [...queue.tasks.values()]) this.registry.finishTask(task, 'purged');
    return queue;
  }

  pauseQueue(name: string | undefined): QueueRecord {
    const queue = this.getQueue(name);
    queue.state = 'PAUSED';
    return queue;
  }

  resumeQueue(name: string | undefined): QueueRecord {
    const queue = this.getQueue(name);
    queue.state = 'RUNNING';
    this.dispatcher.kick();
    return queue;
  }

  createTask(parent: string | undefined, input: TaskInput | null | undefined): TaskRecord {
    const queue = this.getQueue(parent);
    if (!input) throw invalidArgument('Task must be set.');
    let name: string;
    if (input.name) {
      const parsed = parseTaskName(input.name);
      if (parsed.queue !== queue.name) throw invalidArgument(`Task name "${input.name}" is not in queue "${queue.name}".`);
      name = parsed.name;
    } else {
      name = this.generateTaskName(queue.name);
    }
    const now = this.clock.now();
    const http = normalizeHttpRequest(input.httpRequest, input.appEngineHttpRequest);
    const dispatchDeadlineMs = normalizeDispatchDeadline(input.dispatchDeadline);
    const scheduleTimeMs = normalizeScheduleTime(input.scheduleTime, now);
    if (this.registry.isTaskNameTaken(name, queue.name)) {
      throw alreadyExists(`Requested entity already exists: task ${name} exists or was recently deleted or executed.`);
    }
    const task: TaskRecord = {
      name,
      queueName: queue.name,
      http,
      createTimeMs: now,
      scheduleTimeMs,
      dispatchDeadlineMs,
      dispatchCount: 0,
      responseCount: 0,
      attempts: [],
      inFlight: 0,
      status: 'scheduled',
      finishTimeMs: undefined,
    };
    queue.tasks.set(name, task);
    this.dispatcher.kick();
    return task;
  }

  getTask(name: string | undefined): TaskRecord {
    const parsed = parseTaskName(name);
    return this.registry.getTask(parsed.name, parsed.queue);
  }

  listTasks(parent: string | undefined): TaskRecord[] {
    return [...this.getQueue(parent).tasks.values()].sort((a, b) => a.scheduleTimeMs - b.scheduleTimeMs || a.name.localeCompare(b.name));
  }

  deleteTask(name: string | undefined): void {
    this.registry.finishTask(this.getTask(name), 'deleted');
  }

  /** Dispatches now regardless of pause/rate limits; returns the task as dispatched. */
  runTask(name: string | undefined): TaskRecord {
    const task = this.getTask(name);
    this.dispatcher.runNow(task);
    return task;
  }

  private insertQueue(name: string, config: QueueRecord['config']): QueueRecord {
    const now = this.clock.now();
    const queue: QueueRecord = {
      name,
      state: 'RUNNING',
      config,
      createTimeMs: now,
      purgeTimeMs: undefined,
      tasks: new Map(),
      inFlight: 0,
      tokens: config.rate.maxBurstSize,
      tokensAtMs: now,
    };
    this.registry.queues.set(name, queue);
    return queue;
  }

  /** Server-assigned ids are long decimal strings, like the real service's. */
  private generateTaskName(queueName: string): string {
    for (;;) {
      let id = String(randomInt(1, 10));
      for (let i = 0; i < 18; i++) id += String(randomInt(0, 10));
      const name = `${queueName}/tasks/${id}`;
      if (!this.registry.isTaskNameTaken(name, queueName)) return name;
    }
  }
}

/** ListQueues supports the documented `state: PAUSED` / `state: RUNNING` filter. */
function parseStateFilter(filter: string | undefined): 'RUNNING' | 'PAUSED' | undefined {
  const text = (filter ?? '').trim();
  if (!text) return undefined;
  const match = /^state\s*[:=]\s*(RUNNING|PAUSED)$/.exec(text);
  if (!match) throw invalidArgument(`Unsupported filter "${text}" (only "state: PAUSED" / "state: RUNNING").`);
  return match[1] as 'RUNNING' | 'PAUSED';
}
