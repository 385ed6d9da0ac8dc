/**
 * The error codes of the public API (docs/contract.md, "Public HTTP API"), with their HTTP status;
 * 408, 417 and 431 answer what Node's HTTP parser refuses (protocol-errors.ts).
 */
export const errorStatus = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  origin_not_allowed: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  payload_too_large: 413,
  unsupported_media_type: 415,
  expectation_failed: 417,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  upstream_error: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface AppErrorOptions {
  /** Extra response headers (e.g. Retry-After, Allow). */
  headers?: Record<string, string>;
  /** Machine-readable details safe to show a client (e.g. the invalid field). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of the services. `message` is shown to clients, so it never holds upstream
 * text, stack traces or secrets; put diagnostics in `cause`, which is only logged.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorStatus[code];
    this.headers = options.headers ?? {};
    this.details = options.details;
  }
}

/** How long clients are told to wait after a 503 caused by a dependency outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** 503 `unavailable` with Retry-After: a dependency is down or too slow; the client may retry. */
export function unavailableError(message: string, cause?: unknown): AppError {
  return new AppError('unavailable', message, { headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) }, cause });
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** The contract's JSON error body: `{"error": {"code", "message"}}`, nothing else. */
export function errorBody(error: AppError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}
