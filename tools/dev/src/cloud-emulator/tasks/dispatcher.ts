import type { Clock, Timer } from '../clock.js';
import { mayRetry, retryDelayMs } from './backoff.js';
import { dispatchHeaders, withAuthorization } from './dispatch-headers.js';
import type { OutgoingRequest, SendResult } from './http-dispatch.js';
import type { AttemptRecord, QueueRecord, TaskRecord } from './model.js';
import type { TaskRegistry } from './registry.js';

/**
 * Decides when tasks run and executes attempts: due tasks of RUNNING queues are dispatched
 * within max_concurrent_dispatches and a max_dispatches_per_second token bucket; a 2xx answer
 * deletes the task, anything else (or no answer before dispatch_deadline) schedules a retry
 * per the queue's RetryConfig or, when retries are exhausted, drops the task.
 */

export interface DispatcherDeps {
  clock: Clock;
  registry: TaskRegistry;
  send(request: OutgoingRequest, timeoutRealMs: number, signal: AbortSignal): Promise<SendResult>;
  /** Authorization header value (OIDC / OAuth token) for a task, if it asks for one. */
  authorizationFor(task: TaskRecord): Promise<string | undefined>;
}

export class Dispatcher {
  private timer: Timer | undefined;
  private evaluationQueued = false;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** Re-evaluates what can run, soon (coalesces bursts of state changes). */
  kick(): void {
    if (this.closed || this.evaluationQueued) return;
    this.evaluationQueued = true;
    setImmediate(() => {
      this.evaluationQueued = false;
      this.evaluate();
    });
  }

  /** RunTask: dispatch now, ignoring pause, rate limits and the schedule. */
  runNow(task: TaskRecord): void {
    const queue = this.deps.registry.getQueue(task.queueName);
    this.startAttempt(queue, task, true);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.running]);
  }

  private evaluate(): void {
    if (this.closed) return;
    if (this.timer) this.deps.clock.clearTimer(this.timer);
    this.timer = undefined;
    const now = this.deps.clock.now();
    let nextWake = Infinity;
    for (const queue of this.deps.registry.queues.values()) {
      if (queue.state !== 'RUNNING') continue;
      const waiting = [...queue.tasks.values()]
        .filter((task) => task.inFlight === 0)
        .sort((a, b) => a.scheduleTimeMs - b.scheduleTimeMs || a.createTimeMs - b.createTimeMs);
      for (const task of waiting) {
        if (task.scheduleTimeMs > now) {
          nextWake = Math.min(nextWake, task.scheduleTimeMs);
          break;
        }
        // Completion of an in-flight attempt kicks the dispatcher again.
        if (queue.inFlight >= queue.config.rate.maxConcurrentDispatches) break;
        const tokenWaitMs = this.takeToken(queue, now);
        if (tokenWaitMs > 0) {
          nextWake = Math.min(nextWake, now + tokenWaitMs);
          break;
        }
        this.startAttempt(queue, task, false);
      }
    }
    if (Number.isFinite(nextWake)) this.timer = this.deps.clock.setTimer(() => this.evaluate(), nextWake - now);
  }

  /** Token bucket of size max_burst_size refilled at max_dispatches_per_second; returns ms to wait (0 = taken). */
  private takeToken(queue: QueueRecord, now: number): number {
    const { maxDispatchesPerSecond: rate, maxBurstSize: burst } = queue.config.rate;
    queue.tokens = Math.min(burst, queue.tokens + ((now - queue.tokensAtMs) * rate) / 1000);
    queue.tokensAtMs = now;
    if (queue.tokens >= 1) {
      queue.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - queue.tokens) * 1000) / rate);
  }

  private startAttempt(queue: QueueRecord, task: TaskRecord, forced: boolean): AttemptRecord {
    const now = this.deps.clock.now();
    const scheduleTimeMs = forced ? now : task.scheduleTimeMs;
    // Counts and previous response are captured now, before this attempt is recorded.
    const headers = dispatchHeaders(task, scheduleTimeMs);
    const attempt: AttemptRecord = {
      number: task.dispatchCount + 1,
      scheduleTimeMs,
      dispatchTimeMs: now,
      responseTimeMs: undefined,
      httpStatus: undefined,
      rpcCode: undefined,
      message: undefined,
      forced,
    };
    task.dispatchCount += 1;
    task.attempts.push(attempt);
    task.inFlight += 1;
    task.status = 'dispatching';
    queue.inFlight += 1;

    const timeoutRealMs = this.deps.clock.toRealMs(task.dispatchDeadlineMs);
    const running: Promise<void> = this.deps
      .authorizationFor(task)
      .then((authorization) => {
        const request: OutgoingRequest = {
          url: task.http.url,
          method: task.http.method,
          headers: withAuthorization(headers, authorization),
          body: task.http.body,
        };
        return this.deps.send(request, timeoutRealMs, this.abort.signal);
      })
      .catch((error: unknown): SendResult => ({
        httpStatus: undefined,
        rpcCode: 13, // INTERNAL
        message: `emulator could not dispatch: ${error instanceof Error ? error.message : String(error)}`,
      }))
      .then((result) => this.complete(queue, task, attempt, result))
      .finally(() => this.running.delete(running));
    this.running.add(running);
    return attempt;
  }

  private complete(queue: QueueRecord, task: TaskRecord, attempt: AttemptRecord, result: SendResult): void {
    const now = this.deps.clock.now();
    queue.inFlight -= 1;
    task.inFlight -= 1;
    attempt.responseTimeMs = now;
    attempt.httpStatus = result.httpStatus;
    attempt.rpcCode = result.rpcCode;
    attempt.message = result.message;
    if (result.httpStatus !== undefined) task.responseCount += 1;
    if (this.closed) return;

    const live = this.deps.registry.queues.get(task.queueName)?.tasks.get(task.name) === task;
    if (live) {
      if (result.rpcCode === 0) {
        this.deps.registry.finishTask(task, 'succeeded');
      } else if (task.inFlight === 0) {
        const policy = queue.config.retry;
        const firstAttemptMs = task.attempts[0]?.dispatchTimeMs ?? now;
        if (mayRetry(policy, { attempts: task.dispatchCount, firstAttemptMs, nowMs: now })) {
          task.scheduleTimeMs = now + retryDelayMs(policy, task.dispatchCount);
          task.status = 'scheduled';
        } else {
          this.deps.registry.finishTask(task, 'failed');
        }
      }
    }
    this.kick();
  }
}
