import { PermanentError, TransientError } from './errors.js';

/** Why the AI summary could not be had: the degraded lead email tells the shop which. */
export type SummaryFailureReason =
  /** No answer within the client's timeout (or the service's own 408). */
  | 'timeout'
  /** No connection to the AI service. */
  | 'unreachable'
  /** 429: rate limit or quota. */
  | 'rate_limited'
  /** The service failed on its side (5xx, 409). */
  | 'service_error'
  /** The service refused our request (4xx: key, model, settings). */
  | 'rejected'
  /** The model declined to answer (a refusal, or its content filter). */
  | 'refused'
  /** The answer stopped at the output limit. */
  | 'incomplete'
  /** An answer came back that is not a lead summary (empty, not JSON, not the schema). */
  | 'unusable_answer'
  /** Anything else (see the log line of the failure). */
  | 'unknown';

export interface SummaryFailure {
  reason: SummaryFailureReason;
  /** The AI service's HTTP status, when it answered with one. */
  status?: number | undefined;
}

/** A summary failure worth retrying (Cloud Tasks backoff) before the degraded email. */
export class TransientSummaryError extends TransientError {
  constructor(
    readonly failure: SummaryFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransientSummaryError';
  }
}

/** A summary failure retrying will not fix. */
export class PermanentSummaryError extends PermanentError {
  constructor(
    readonly failure: SummaryFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PermanentSummaryError';
  }
}

/** What a summarizer's error says about why; `unknown` for an error that does not say. */
export function summaryFailureOf(error: unknown): SummaryFailure {
  if (error instanceof TransientSummaryError || error instanceof PermanentSummaryError) return error.failure;
  return { reason: 'unknown' };
}
