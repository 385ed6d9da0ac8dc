import { describe, expect, it } from 'vitest';
import { DeadlineExceededError, GrpcStatus, transientGrpcCode, withDeadline } from '../src/index.js';

const later = <T>(ms: number, value: T, fail = false): Promise<T> =>
  new Promise((resolve, reject) => setTimeout(() => (fail ? reject(new Error(String(value))) : resolve(value)), ms));

describe('withDeadline', () => {
  it('when the call answers in time, then its value', async () => {
    await expect(withDeadline('Firestore', 200, () => later(10, 'doc'))).resolves.toBe('doc');
  });

  it('when the call fails in time, then its own error', async () => {
    await expect(withDeadline('Cloud Tasks', 200, () => later(10, 'refused', true))).rejects.toThrow('refused');
  });

  it('when the call is slower than the deadline, then DeadlineExceededError naming the dependency, with gRPC DEADLINE_EXCEEDED', async () => {
    const started = Date.now();
    const error = await withDeadline('Secret Manager', 50, () => later(5_000, 'too late')).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ dependency: 'Secret Manager', deadlineMs: 50, message: 'Secret Manager did not answer within 50 ms' });
    expect(transientGrpcCode(error)).toBe(GrpcStatus.DEADLINE_EXCEEDED);
  });

  it('when the abandoned call fails after the deadline, then no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await expect(withDeadline('Firestore', 10, () => later(40, 'late failure', true))).rejects.toBeInstanceOf(DeadlineExceededError);
      await later(80, null);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('withDeadline with a client that has its own timeout', () => {
  it('when the client reports DEADLINE_EXCEEDED first, then the same DeadlineExceededError, the client error as its cause', async () => {
    const clientError = Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 0.050s'), {
      code: GrpcStatus.DEADLINE_EXCEEDED,
    });
    const error = await withDeadline('Cloud Tasks', 1_000, () => Promise.reject(clientError)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ message: 'Cloud Tasks did not answer within 1000 ms', cause: clientError });
  });

  it('when the client fails otherwise, then its error unchanged', async () => {
    const refused = Object.assign(new Error('14 UNAVAILABLE: connect ECONNREFUSED'), { code: GrpcStatus.UNAVAILABLE });
    await expect(withDeadline('Cloud Tasks', 1_000, () => Promise.reject(refused))).rejects.toBe(refused);
  });
});
