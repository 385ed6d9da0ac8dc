import type { QueueConfig } from './queue-config.js';
import type { TaskHttpRequest } from './task-input.js';

/** In-memory records of queues, tasks and attempts. All times are emulated epoch milliseconds. */

type QueueState = 'RUNNING' | 'PAUSED';

export interface QueueRecord {
  name: string;
  state: QueueState;
  config: QueueConfig;
  createTimeMs: number;
  purgeTimeMs: number | undefined;
  tasks: Map<string, TaskRecord>;
  /** Attempts currently waiting for a handler answer (counts against max_concurrent_dispatches). */
  inFlight: number;
  /** Token bucket for max_dispatches_per_second. */
  tokens: number;
  tokensAtMs: number;
}

export interface AttemptRecord {
  /** 1-based attempt number (dispatch count at dispatch). */
  number: number;
  scheduleTimeMs: number;
  dispatchTimeMs: number;
  responseTimeMs: number | undefined;
  /** HTTP status of the handler's answer; undefined when no answer (deadline, connection error). */
  httpStatus: number | undefined;
  /** google.rpc.Code of the attempt (0 = OK). */
  rpcCode: number | undefined;
  message: string | undefined;
  /** Set for attempts started with RunTask. */
  forced: boolean;
}

export type TaskStatus = 'scheduled' | 'dispatching' | 'succeeded' | 'failed' | 'deleted' | 'purged';

export interface TaskRecord {
  name: string;
  queueName: string;
  http: TaskHttpRequest;
  createTimeMs: number;
  /** When the next attempt is due (for a running task: when the current attempt was due). */
  scheduleTimeMs: number;
  dispatchDeadlineMs: number;
  dispatchCount: number;
  responseCount: number;
  attempts: AttemptRecord[];
  inFlight: number;
  status: TaskStatus;
  finishTimeMs: number | undefined;
}
