import { describe, expect, it } from 'vitest';
import { mayRetry, retryDelayMs } from '../src/cloud-emulator/tasks/backoff.js';
import type { RetryPolicy } from '../src/cloud-emulator/tasks/backoff.js';
import { DEFAULT_RETRY_POLICY } from '../src/cloud-emulator/tasks/queue-config.js';

const policy = (minS: number, maxS: number, maxDoublings: number): RetryPolicy => ({
  ...DEFAULT_RETRY_POLICY,
  minBackoffMs: minS * 1000,
  maxBackoffMs: maxS * 1000,
  maxDoublings,
});

const delaysSeconds = (p: RetryPolicy, retries: number): number[] =>
  Array.from({ length: retries }, (_, i) => retryDelayMs(p, i + 1) / 1000);

describe('retryDelayMs', () => {
  it.each([
    // The example from the RetryConfig.max_doublings documentation.
    { min: 10, max: 300, doublings: 3, expected: [10, 20, 40, 80, 160, 240, 300, 300] },
    { min: 1, max: 8, doublings: 1, expected: [1, 2, 4, 6, 8, 8] },
    // No doublings: grows linearly by min_backoff.
    { min: 2, max: 7, doublings: 0, expected: [2, 4, 6, 7, 7] },
    { min: 5, max: 5, doublings: 4, expected: [5, 5, 5] },
    { min: 1, max: 1000, doublings: 16, expected: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000] },
    { min: 0, max: 10, doublings: 3, expected: [0, 0, 0] },
  ])('when min=$min s, max=$max s, doublings=$doublings, then retries wait $expected s', ({ min, max, doublings, expected }) => {
    expect(delaysSeconds(policy(min, max, doublings), expected.length)).toEqual(expected);
  });

  it('when the queue uses the service defaults, then retries start at 0.1 s and cap at one hour', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 1)).toBe(100);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 2)).toBe(200);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 16)).toBe(100 * 2 ** 15);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 99)).toBe(3_600_000);
  });

  it('when the retry number is not a positive integer, then it throws', () => {
    expect(() => retryDelayMs(DEFAULT_RETRY_POLICY, 0)).toThrow(RangeError);
  });
});

describe('mayRetry', () => {
  const base = { ...DEFAULT_RETRY_POLICY };
  it.each([
    { name: 'attempts left, no duration limit', p: { maxAttempts: 3, maxRetryDurationMs: 0 }, attempts: 2, age: 0, expected: true },
    { name: 'attempts used up, no duration limit', p: { maxAttempts: 3, maxRetryDurationMs: 0 }, attempts: 3, age: 0, expected: false },
    { name: 'unlimited attempts', p: { maxAttempts: -1, maxRetryDurationMs: 0 }, attempts: 10_000, age: 1e9, expected: true },
    {
      name: 'attempts used up but duration not yet passed',
      p: { maxAttempts: 3, maxRetryDurationMs: 60_000 },
      attempts: 5,
      age: 59_999,
      expected: true,
    },
    {
      name: 'attempts used up and duration passed',
      p: { maxAttempts: 3, maxRetryDurationMs: 60_000 },
      attempts: 3,
      age: 60_000,
      expected: false,
    },
    {
      name: 'duration passed but attempts left',
      p: { maxAttempts: 3, maxRetryDurationMs: 60_000 },
      attempts: 2,
      age: 120_000,
      expected: true,
    },
  ])('when $name, then mayRetry is $expected', ({ p, attempts, age, expected }) => {
    expect(mayRetry({ ...base, ...p }, { attempts, firstAttemptMs: 1_000, nowMs: 1_000 + age })).toBe(expected);
  });
});
