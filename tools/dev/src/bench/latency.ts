/** Latency bookkeeping for the benchmarks: percentiles over measured request durations. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  perSecond: number;
}

export function percentile(sortedMs: readonly number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[index] as number;
}

export function summarize(durationsMs: readonly number[], wallMs: number): LatencySummary {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    perSecond: wallMs > 0 ? (sorted.length / wallMs) * 1000 : Number.NaN,
  };
}

/**
 * Runs `total` calls of `request(i)` with at most `concurrency` in flight and returns their
 * durations. A call that does not return the expected status is a failure, not a data point.
 */
export async function measure(
  total: number,
  concurrency: number,
  request: (i: number) => Promise<Response>,
  expectStatus = 200,
): Promise<{ durations: number[]; wallMs: number; failures: number }> {
  const durations: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      const response = await request(i);
      await response.arrayBuffer();
      const elapsed = performance.now() - t0;
      if (response.status === expectStatus) durations.push(elapsed);
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { durations, wallMs: performance.now() - started, failures };
}
