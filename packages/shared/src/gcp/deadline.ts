import { grpc } from 'google-gax';

/** A few seconds: a healthy Firestore, Cloud Tasks or Secret Manager answers in well under one. */
export const DEFAULT_DEADLINE_MS = 5000;

/** The Google Cloud dependencies whose calls get a deadline on the request path. */
export type CloudDependency = 'Firestore' | 'Cloud Tasks' | 'Secret Manager';

/**
 * A call that did not answer within its deadline. It carries gRPC's DEADLINE_EXCEEDED code, so
 * every "is this an outage?" check (`transientGrpcCode`) treats it like the client's own timeout.
 */
export class DeadlineExceededError extends Error {
  readonly code = grpc.status.DEADLINE_EXCEEDED;

  constructor(
    readonly dependency: CloudDependency,
    readonly deadlineMs: number,
    cause?: unknown,
  ) {
    super(`${dependency} did not answer within ${deadlineMs} ms`, cause === undefined ? undefined : { cause });
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `call` but gives up after `deadlineMs`. The client libraries retry an unreachable or
 * silent backend for up to minutes (Firestore: 41 s refused, over 100 s when packets vanish; a
 * Cloud Tasks create: 20 s), and no Firestore call takes a per-call timeout, so the deadline is
 * enforced here. The abandoned call may still complete later; every caller must tolerate that
 * (decision 0019).
 */
export function withDeadline<T>(dependency: CloudDependency, deadlineMs: number, call: () => Promise<T>): Promise<T> {
  // The gax clients' own timeout (gaxDeadline) fires at the same moment: one error either way.
  const pending = call().catch((error: unknown) => {
    throw (error as { code?: unknown } | null)?.code === grpc.status.DEADLINE_EXCEEDED
      ? new DeadlineExceededError(dependency, deadlineMs, error)
      : error;
  });
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(dependency, deadlineMs)), deadlineMs);
  });
  // The loser's rejection must not surface as an unhandled rejection.
  pending.catch(() => undefined);
  return Promise.race([pending, expired]).finally(() => clearTimeout(timer));
}

/** gax call options that make the RPC itself end at the deadline (Cloud Tasks, Secret Manager). */
export const gaxDeadline = (deadlineMs: number): { timeout: number } => ({ timeout: deadlineMs });
