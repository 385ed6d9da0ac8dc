/**
 * OpenAI-style errors: the `{"error": {message, type, param, code}}` body the real API sends, and an
 * exception route handlers throw to produce one.
 */

interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface OpenAIErrorBody {
  error: OpenAIErrorObject;
}

export interface OpenAIErrorInit {
  message: string;
  type?: string;
  param?: string | null;
  code?: string | null;
  /** Extra response headers, e.g. `retry-after`. */
  headers?: Record<string, string>;
}

export class OpenAIHttpError extends Error {
  readonly status: number;
  readonly body: OpenAIErrorBody;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, init: OpenAIErrorInit) {
    super(init.message);
    this.name = 'OpenAIHttpError';
    this.status = status;
    this.body = {
      error: {
        message: init.message,
        type: init.type ?? defaultErrorType(status),
        param: init.param ?? null,
        code: init.code ?? null,
      },
    };
    this.headers = init.headers ?? {};
  }
}

/** The `type` the real API uses for a status when nothing more specific applies. */
export function defaultErrorType(status: number): string {
  if (status === 429) return 'requests';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** A plausible message for a status, used by injected faults that name no message. */
export function defaultErrorMessage(status: number): string {
  switch (status) {
    case 400:
      return 'Bad request.';
    case 401:
      return 'Incorrect API key provided.';
    case 403:
      return 'You are not allowed to sample from this model.';
    case 404:
      return 'Not found.';
    case 408:
      return 'Request timed out.';
    case 409:
      return 'Conflict: the resource was modified by another request.';
    case 429:
      return 'Rate limit reached for requests. Please try again in 1s.';
    case 500:
      return 'The server had an error while processing your request. Sorry about that!';
    case 502:
      return 'Bad gateway.';
    case 503:
      return 'The server is overloaded or not ready yet.';
    case 504:
      return 'Gateway timeout.';
    default:
      return `The server answered with status ${status}.`;
  }
}

export function defaultErrorCode(status: number): string | null {
  if (status === 401) return 'invalid_api_key';
  if (status === 429) return 'rate_limit_exceeded';
  return null;
}

export function invalidRequest(message: string, param: string | null, code: string | null): OpenAIHttpError {
  return new OpenAIHttpError(400, { message, type: 'invalid_request_error', param, code });
}

export function notFound(message: string, param: string | null = null): OpenAIHttpError {
  return new OpenAIHttpError(404, { message, type: 'invalid_request_error', param, code: null });
}

/** What the real API answers for a path or method it does not serve. */
export function invalidUrl(method: string, path: string): OpenAIHttpError {
  return notFound(`Invalid URL (${method} ${path})`);
}
