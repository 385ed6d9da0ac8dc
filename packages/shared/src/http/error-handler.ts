import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError, z } from 'zod';
import { AppError, errorBody, isAppError, unavailableError } from '../errors/app-error.js';
import { TransientError } from '../errors/transient-error.js';

/** 405 for a known path with another method, 404 for anything else. */
export function notFound(routes: Record<string, readonly string[]>): RequestHandler {
  return (req, _res, next) => {
    const methods = routes[req.path];
    if (methods) {
      return next(
        new AppError('method_not_allowed', `Use ${methods.join(' or ')} for ${req.path}.`, {
          headers: { Allow: methods.join(', ') },
        }),
      );
    }
    next(new AppError('not_found', 'There is nothing at this address.'));
  };
}

/** Turns a zod failure into one 400 that names the field and the reason. */
export function fromZodError(error: ZodError, prefix = ''): AppError {
  const first = error.issues[0];
  const field = first ? z.core.toDotPath(prefix ? [prefix, ...first.path] : first.path) : prefix;
  const reason = first?.message ?? 'is invalid';
  const message = field ? `Invalid "${field}": ${reason}.` : `Invalid request: ${reason}.`;
  return new AppError('invalid_request', message, {
    details: { field: field || undefined, reason },
    cause: error,
  });
}

/** body-parser / raw-body errors carry a `type` and a `status`. */
function fromBodyParserError(error: { type?: string; status?: number; expose?: boolean }): AppError | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The request body is too large.');
    case 'entity.parse.failed':
      return new AppError('invalid_request', 'The request body is not valid JSON.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new AppError('unsupported_media_type', 'Send the body as UTF-8 JSON.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AppError('invalid_request', 'The request body could not be read.');
    default:
      // A body that is not what its Content-Encoding says (gzip, deflate, br, zstd): body-parser
      // passes zlib's error on as a client error (status 400, no type).
      return isClientHttpError(error)
        ? new AppError('invalid_request', 'The request body could not be decoded as its Content-Encoding says.', { cause: error })
        : undefined;
  }
}

/** An http-errors client error (`expose` is set for 4xx): the request's fault, whatever raised it. */
function isClientHttpError(error: { status?: number; expose?: boolean }): boolean {
  return error.expose === true && typeof error.status === 'number' && error.status >= 400 && error.status < 500;
}

/** The one place a dependency outage becomes an answer: 503 `unavailable` with Retry-After. */
const outage = (error: TransientError): AppError =>
  unavailableError('A service we depend on is not answering right now. Please try again shortly.', error);

/** The one error middleware: the contract's JSON error body, never a stack or upstream text. */
export function errorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const appError: AppError = isAppError(error)
      ? error
      : error instanceof TransientError
        ? outage(error)
        : error instanceof ZodError
          ? fromZodError(error)
          : (typeof error === 'object' && error !== null && fromBodyParserError(error)) ||
            new AppError('internal_error', 'Something went wrong on our side.', { cause: error });

    const log = req.log ?? undefined;
    if (appError.status >= 500) {
      log?.error({ err: appError.cause ?? appError, code: appError.code }, appError.message);
    } else {
      log?.info({ code: appError.code, details: appError.details }, appError.message);
    }
    res.set(appError.headers);
    res.set('Cache-Control', 'no-store');
    res.status(appError.status).type('application/json').send(errorBody(appError));
  };
}
