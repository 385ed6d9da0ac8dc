import { TransientError } from './transient-error.js';

/** How often a call is tried and how long to wait in between: `firstDelayMs`, then `factor` times the wait before. */
export interface RetryPolicy {
  /** Calls in all, the first included. */
  attempts: number;
  /** The wait before the second call. */
  firstDelayMs: number;
  /** Each later wait is this many times the one before (1: a fixed wait). */
  factor: number;
}

export interface RetryOptions {
  /** What is worth another call; default: a TransientError (the dependency took nothing and may answer later). */
  retryable?: (error: unknown) => boolean;
  /** Waits between calls (a fake clock in tests); default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Called before each wait, e.g. to log the failure. */
  onRetry?: (error: unknown, attempt: number, waitMs: number) => void;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The wait after the `attempt`-th failed call. */
export const retryDelayMs = (policy: RetryPolicy, attempt: number): number => policy.firstDelayMs * policy.factor ** (attempt - 1);

/**
 * The one in-process retry loop of the services: calls `operation` until it succeeds, throws
 * what is not retryable, or has used `policy.attempts` calls (then the last error is thrown).
 * Each call keeps its own deadline (withDeadline); this only decides whether to call again.
 */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const retryable = options.retryable ?? ((error: unknown) => error instanceof TransientError);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= policy.attempts || !retryable(error)) throw error;
      const waitMs = retryDelayMs(policy, attempt);
      options.onRetry?.(error, attempt, waitMs);
      await (options.sleep ?? sleep)(waitMs);
    }
  }
}
