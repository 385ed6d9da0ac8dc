import { ipKeyGenerator } from 'express-rate-limit';
import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors/app-error.js';

export interface RateLimitOptions {
  /** Requests per client IP per window. */
  limit: number;
  windowMs?: number;
}

/**
 * Per-client-IP limit (the IP comes from `req.ip`, so it depends on the app's `trust proxy`).
 * In-memory per instance: good enough against a single abusive browser; see
 * docs/decisions/0002-client-ip-behind-firebase-hosting.md for the limits of that.
 *
 * express-rate-limit's memory store semantics and IETF draft-7 headers (`RateLimit-Policy`,
 * `RateLimit`), synchronously: each client's window starts at its first request. The library's
 * middleware costs several promise hops and re-derives `req.ip` per request, on every mint.
 */
export function perClientRateLimit(options: RateLimitOptions): RequestHandler {
  const windowMs = options.windowMs ?? 60_000;
  const policy = `${options.limit};w=${Math.ceil(windowMs / 1000)}`;
  const windows = new Map<string, { resetAt: number; hits: number }>();
  let nextSweep = Date.now() + windowMs;
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const at = Date.now();
    if (at >= nextSweep) {
      for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key);
      nextSweep = at + windowMs;
    }
    const key = clientKey(req);
    let window = windows.get(key);
    if (!window || window.resetAt <= at) {
      window = { resetAt: at + windowMs, hits: 0 };
      windows.set(key, window);
    }
    window.hits += 1;
    const resetSeconds = Math.max(0, Math.ceil((window.resetAt - at) / 1000));
    res.setHeader('RateLimit-Policy', policy);
    res.setHeader('RateLimit', `limit=${options.limit}, remaining=${Math.max(options.limit - window.hits, 0)}, reset=${resetSeconds}`);
    if (window.hits <= options.limit) return next();
    next(
      new AppError('rate_limited', 'Too many requests. Please wait a moment and try again.', {
        headers: { 'Retry-After': String(Math.max(1, resetSeconds)) },
      }),
    );
  };
}

/**
 * IPv6 clients are grouped by /56 (express-rate-limit's own rule). IPv4 needs no parsing, nor
 * does the IPv4-mapped form a dual-stack socket reports for IPv4 peers (`::ffff:10.1.2.3`).
 */
function clientKey(req: Request): string {
  const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (!ip.includes(':')) return ip;
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  return ipKeyGenerator(ip);
}
