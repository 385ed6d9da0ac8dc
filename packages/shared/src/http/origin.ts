import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

export interface OriginPolicyOptions {
  allowedOrigins: readonly string[];
  methods: readonly string[];
  /** Request headers a browser may send (default `Content-Type`). */
  allowHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer. */
  maxAgeSeconds?: number;
}

/**
 * CORS with an allowlist. A request whose `Origin` is not listed is refused with 403 before any
 * work is done; requests without `Origin` (server-to-server, curl, same-origin GET) pass.
 */
export function originPolicy(options: OriginPolicyOptions): RequestHandler {
  const allowed = new Set(options.allowedOrigins);
  return (req, res, next) => {
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined) return next();
    if (!allowed.has(origin)) {
      return next(new AppError('origin_not_allowed', 'This site is not allowed to call this API.'));
    }
    res.set('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', options.methods.join(', '));
      res.set('Access-Control-Allow-Headers', (options.allowHeaders ?? ['Content-Type']).join(', '));
      res.set('Access-Control-Max-Age', String(options.maxAgeSeconds ?? 600));
      res.status(204).end();
      return;
    }
    next();
  };
}
