import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import { notFound } from '../grpc-errors.js';
import type { QueueRecord, TaskRecord, TaskStatus } from './model.js';

/**
 * Storage for queues and tasks plus the memory the real service has about names: task names stay
 * reserved for a while after the task finished or was deleted, queue names after deletion.
 */

export interface RegistryOptions {
  /** How long a finished/deleted task's name cannot be reused. Real service: about 1 hour. */
  dedupeWindowMs: number;
  /** How long a deleted queue's name cannot be reused. Real service: 7 days. */
  queueNameReuseWindowMs: number;
  /** Finished tasks kept for inspection. */
  historyLimit: number;
}

export type FinalStatus = Exclude<TaskStatus, 'scheduled' | 'dispatching'>;

export class TaskRegistry {
  readonly queues = new Map<string, QueueRecord>();
  /** Finished tasks, oldest first, for inspection (bounded). */
  readonly history: TaskRecord[] = [];
  readonly events = new EventEmitter<{ finished: [TaskRecord] }>();
  private readonly reservedTaskNames = new Map<string, number>();
  private readonly deletedQueues = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly options: RegistryOptions,
  ) {
    this.events.setMaxListeners(0);
  }

  getQueue(name: string): QueueRecord {
    const queue = this.queues.get(name);
    if (!queue) throw notFound(`Queue [${name}] does not exist.`);
    return queue;
  }

  getTask(name: string, queueName: string): TaskRecord {
    const task = this.queues.get(queueName)?.tasks.get(name);
    if (!task) throw notFound(`Task [${name}] does not exist (it may have already succeeded, failed permanently or been deleted).`);
    return task;
  }

  /** True while a live task has the name or a finished one had it within the dedupe window. */
  isTaskNameTaken(name: string, queueName: string): boolean {
    if (this.queues.get(queueName)?.tasks.has(name)) return true;
    const reservedUntil = this.reservedTaskNames.get(name);
    if (reservedUntil === undefined) return false;
    if (reservedUntil > this.clock.now()) return true;
    this.reservedTaskNames.delete(name);
    return false;
  }

  isQueueNameReserved(name: string): boolean {
    const until = this.deletedQueues.get(name);
    if (until === undefined) return false;
    if (until > this.clock.now()) return true;
    this.deletedQueues.delete(name);
    return false;
  }

  removeQueue(queue: QueueRecord): void {
    for (const task of [...queue.tasks.values()]) this.finishTask(task, 'deleted');
    this.queues.delete(queue.name);
    if (this.options.queueNameReuseWindowMs > 0) {
      this.deletedQueues.set(queue.name, this.clock.now() + this.options.queueNameReuseWindowMs);
    }
  }

  /** Removes a live task, reserves its name, keeps it in the history and notifies waiters. */
  finishTask(task: TaskRecord, status: FinalStatus): void {
    const queue = this.queues.get(task.queueName);
    if (!queue || queue.tasks.get(task.name) !== task) return;
    queue.tasks.delete(task.name);
    const now = this.clock.now();
    task.status = status;
    task.finishTimeMs = now;
    this.reservedTaskNames.set(task.name, now + this.options.dedupeWindowMs);
    this.pruneReservations(now);
    this.history.push(task);
    if (this.history.length > this.options.historyLimit) this.history.splice(0, this.history.length - this.options.historyLimit);
    this.events.emit('finished', task);
  }

  private pruneReservations(now: number): void {
    if (this.reservedTaskNames.size < 10_000) return;
    for (const [name, until] of this.reservedTaskNames) if (until <= now) this.reservedTaskNames.delete(name);
  }
}
