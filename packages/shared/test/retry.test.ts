import { describe, expect, it } from 'vitest';
import { TransientError, withRetries, type RetryPolicy } from '../src/errors/index.js';

/** An operation that fails with the given errors, one per call, then answers. */
function failing(errors: unknown[]) {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      const error = errors[calls];
      calls += 1;
      if (error !== undefined) throw error;
      return 'ok';
    },
  };
}

const outage = () => new TransientError('down');

describe('withRetries', () => {
  it.each<[string, RetryPolicy, unknown[], { result: string | 'throws'; calls: number; waits: number[] }]>([
    ['succeeds at once', { attempts: 3, firstDelayMs: 100, factor: 4 }, [], { result: 'ok', calls: 1, waits: [] }],
    ['one outage, then an answer', { attempts: 3, firstDelayMs: 100, factor: 4 }, [outage()], { result: 'ok', calls: 2, waits: [100] }],
    [
      'two outages: the waits grow by the factor',
      { attempts: 3, firstDelayMs: 100, factor: 4 },
      [outage(), outage()],
      { result: 'ok', calls: 3, waits: [100, 400] },
    ],
    [
      'outages past the attempts: the last is thrown',
      { attempts: 3, firstDelayMs: 200, factor: 2 },
      [outage(), outage(), outage()],
      { result: 'throws', calls: 3, waits: [200, 400] },
    ],
    [
      'one attempt: nothing is retried',
      { attempts: 1, firstDelayMs: 250, factor: 2 },
      [outage()],
      { result: 'throws', calls: 1, waits: [] },
    ],
    [
      'an error that is not an outage is thrown at once',
      { attempts: 3, firstDelayMs: 100, factor: 2 },
      [new Error('bad request')],
      { result: 'throws', calls: 1, waits: [] },
    ],
  ])('when %s, then the calls and waits follow the policy', async (_name, policy, errors, expected) => {
    const op = failing(errors);
    const waits: number[] = [];
    const result = await withRetries(op.run, policy, { sleep: async (ms) => void waits.push(ms) }).catch(() => 'throws' as const);
    expect({ result, calls: op.calls(), waits }).toEqual(expected);
  });

  it('when a caller says what is retryable, then only that is retried, and onRetry hears each failure', async () => {
    const op = failing([new Error('flaky'), new Error('flaky')]);
    const heard: number[] = [];
    const result = await withRetries(
      op.run,
      { attempts: 5, firstDelayMs: 1, factor: 1 },
      {
        retryable: (error) => (error as Error).message === 'flaky',
        sleep: async () => undefined,
        onRetry: (_e, attempt) => heard.push(attempt),
      },
    );
    expect([result, op.calls(), heard]).toEqual(['ok', 3, [1, 2]]);
  });
});
