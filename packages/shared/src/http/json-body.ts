import express, { type RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

export interface JsonBodyOptions {
  /** e.g. '8kb' */
  limit: string;
  /** `navigator.sendBeacon` posts strings as `text/plain`; accept such bodies as JSON. */
  acceptTextPlain?: boolean;
}

/**
 * Requires a JSON body (415 otherwise) of at most `limit` bytes (413), parsed strictly (400).
 * An empty body is read as `{}` so that "all fields optional" endpoints accept a bare POST.
 */
export function jsonBody(options: JsonBodyOptions): RequestHandler[] {
  const types = options.acceptTextPlain ? ['application/json', 'text/plain'] : ['application/json'];
  const parse = express.json({ limit: options.limit, strict: true, type: types });
  // The same parser for a body whose type was checked here already (body-parser would check it again).
  const parseChecked = express.json({ limit: options.limit, strict: true, type: () => true });
  const requireJson: RequestHandler = (req, res, next) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) {
      req.body = {};
      return parse(req, res, next);
    }
    if (!req.is(types)) {
      return next(
        new AppError('unsupported_media_type', `Send the body as ${types.join(' or ')}.`, {
          details: { accepted: types },
        }),
      );
    }
    parseChecked(req, res, next);
  };
  return [requireJson];
}
