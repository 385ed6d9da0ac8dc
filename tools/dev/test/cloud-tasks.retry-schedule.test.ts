import { CloudTasksClient } from '@google-cloud/tasks';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorClientOptions, startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator } from '../src/cloud-emulator/index.js';
import { respondStatus, startRecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';
import type { RecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';

// Measures real attempt schedules against the documented backoff formula, with emulated time
// running faster than real time (timeScale). Timer lateness is tolerated; early attempts are not.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(timeScale: number): Promise<{ emulator: CloudEmulator; client: CloudTasksClient; target: RecordingTarget }> {
  const emulator = await startCloudEmulator({ timeScale });
  const client = new CloudTasksClient(emulatorClientOptions(emulator));
  const target = await startRecordingTarget(respondStatus(500));
  cleanups.push(
    () => emulator.close(),
    () => client.close(),
    () => target.close(),
  );
  return { emulator, client, target };
}

async function runFailingTask(
  ctx: { emulator: CloudEmulator; client: CloudTasksClient; target: RecordingTarget },
  retryConfig: Record<string, unknown>,
): Promise<ReturnType<CloudEmulator['tasks']['get']> & object> {
  const queue = ctx.emulator.tasks.ensureQueue('retries', { retryConfig });
  const [task] = await ctx.client.createTask({ parent: queue, task: { httpRequest: { url: `${ctx.target.url}/fail` } } });
  return ctx.emulator.tasks.waitForTask(task.name ?? '', { timeoutMs: 15_000 });
}

/** Emulated gaps between the end of one attempt and the start of the next. */
function expectSchedule(
  finished: Awaited<ReturnType<CloudEmulator['tasks']['waitForTask']>>,
  target: RecordingTarget,
  expectedSeconds: number[],
  timeScale: number,
): void {
  const toleranceMs = 50 * timeScale; // 50 ms of real timer/handler lateness
  expect(finished.status).toBe('failed');
  expect(finished.attempts).toHaveLength(expectedSeconds.length + 1);
  expect(target.requests).toHaveLength(expectedSeconds.length + 1);
  expectedSeconds.forEach((seconds, i) => {
    const previous = finished.attempts[i];
    const next = finished.attempts[i + 1];
    if (!previous?.responseTimeMs || !next) throw new Error('missing attempt');
    // The retry is scheduled exactly `delay` after the failure was observed…
    expect(next.scheduleTimeMs - previous.responseTimeMs).toBeCloseTo(seconds * 1000, 3);
    // …and dispatched no earlier than that, within timer tolerance.
    expect(next.dispatchTimeMs).toBeGreaterThanOrEqual(next.scheduleTimeMs);
    expect(next.dispatchTimeMs - next.scheduleTimeMs).toBeLessThan(toleranceMs);
    // Seen from the handler: arrival gaps (real ms × timeScale) match the delay.
    const realGap = (target.requests[i + 1]?.receivedAtMs ?? 0) - (target.requests[i]?.receivedAtMs ?? 0);
    expect(Math.abs(realGap * timeScale - seconds * 1000)).toBeLessThan(toleranceMs);
  });
}

describe('Cloud Tasks retry schedule', () => {
  it('when min 1 s, max 8 s, 1 doubling and 6 attempts, then the handler is retried after 1, 2, 4, 6, 8 s', async () => {
    const ctx = await setup(10);
    const finished = await runFailingTask(ctx, {
      maxAttempts: 6,
      minBackoff: { seconds: 1 },
      maxBackoff: { seconds: 8 },
      maxDoublings: 1,
    });
    expectSchedule(finished, ctx.target, [1, 2, 4, 6, 8], 10);
  });

  it('when min 5 s, max 70 s, 2 doublings and 7 attempts, then retries come after 5, 10, 20, 40, 60, 70 s', async () => {
    const ctx = await setup(100);
    const finished = await runFailingTask(ctx, {
      maxAttempts: 7,
      minBackoff: { seconds: 5 },
      maxBackoff: { seconds: 70 },
      maxDoublings: 2,
    });
    // Doubles twice (5 → 10 → 20), then grows linearly by 20 (40, 60), then caps at 70.
    expectSchedule(finished, ctx.target, [5, 10, 20, 40, 60, 70], 100);
  });

  it('when max_attempts is reached before max_retry_duration, then retries continue until the duration has passed too', async () => {
    const ctx = await setup(100);
    const finished = await runFailingTask(ctx, {
      maxAttempts: 2,
      maxRetryDuration: { seconds: 30 },
      minBackoff: { seconds: 10 },
      maxBackoff: { seconds: 10 },
    });
    // Attempts at ~0, 10, 20, 30 s: after the 4th, both limits are reached.
    expect(finished.attempts).toHaveLength(4);
    expect(finished.status).toBe('failed');
  });
});
