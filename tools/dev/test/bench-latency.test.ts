import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../src/bench/latency.js';

describe('benchmark percentiles', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100 ms

  it.each([
    [50, 50],
    [95, 95],
    [99, 99],
    [100, 100],
    [1, 1],
  ])('when asked for p%i of 1..100 ms, then it answers %i ms (nearest rank)', (p, expected) => {
    expect(percentile(hundred, p)).toBe(expected);
  });

  it('when summarizing unsorted durations over a wall time, then it sorts and computes the rate', () => {
    expect(summarize([30, 10, 20, 40], 2000)).toEqual({ count: 4, p50: 20, p95: 40, p99: 40, max: 40, perSecond: 2 });
  });

  it('when there are no durations, then the percentiles are NaN rather than 0', () => {
    expect(Number.isNaN(summarize([], 100).p50)).toBe(true);
  });
});
