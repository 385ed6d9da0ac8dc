/**
 * Cloud Tasks retry schedule, as documented for RetryConfig.max_doublings:
 * "A task's retry interval starts at min_backoff, then doubles max_doublings times, then
 * increases linearly, and finally retries at intervals of max_backoff up to max_attempts times."
 * e.g. min 10s, max 300s, doublings 3 → 10, 20, 40, 80, 160, 240, 300, 300, …
 */

export interface RetryPolicy {
  /** -1 = unlimited. */
  maxAttempts: number;
  /** 0 = unlimited. */
  maxRetryDurationMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  maxDoublings: number;
}

/** Wait before retry number `retry` (1 = the retry after the first failed attempt). */
export function retryDelayMs(policy: RetryPolicy, retry: number): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError(`retry must be a positive integer, got ${retry}`);
  const doublings = Math.max(0, policy.maxDoublings);
  let delay: number;
  if (retry <= doublings + 1) {
    delay = policy.minBackoffMs * 2 ** (retry - 1);
  } else {
    const lastDoubled = policy.minBackoffMs * 2 ** doublings;
    delay = lastDoubled * (1 + retry - (doublings + 1));
  }
  return Math.min(delay, policy.maxBackoffMs);
}

/**
 * Whether a task that just failed gets another attempt. The task stops only once *both* limits
 * are reached: "Once max_retry_duration time has passed and the task has been attempted
 * max_attempts times, no further attempts will be made".
 */
export function mayRetry(policy: RetryPolicy, attempt: { attempts: number; firstAttemptMs: number; nowMs: number }): boolean {
  const attemptsExhausted = policy.maxAttempts !== -1 && attempt.attempts >= policy.maxAttempts;
  const durationExhausted = policy.maxRetryDurationMs <= 0 || attempt.nowMs - attempt.firstAttemptMs >= policy.maxRetryDurationMs;
  return !(attemptsExhausted && durationExhausted);
}
