import { ipKeyGenerator, rateLimit, type RateLimitInfo } from 'express-rate-limit';
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
 */
export function perClientRateLimit(options: RateLimitOptions): RequestHandler {
  const windowMs = options.windowMs ?? 60_000;
  return rateLimit({
    windowMs,
    limit: options.limit,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    skip: (req) => req.method === 'OPTIONS',
    keyGenerator: (req) => clientKey(req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    // clientKey applies ipKeyGenerator to IPv6 addresses; the library's static check cannot see that.
    validate: { keyGeneratorIpFallback: false },
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit?.resetTime;
      const retryAfter = Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));
      next(
        new AppError('rate_limited', 'Too many requests. Please wait a moment and try again.', {
          headers: { 'Retry-After': String(retryAfter) },
        }),
      );
    },
  });
}

/**
 * IPv6 clients are grouped by /56 (express-rate-limit's own rule). IPv4 needs no parsing, nor
 * does the IPv4-mapped form a dual-stack socket reports for IPv4 peers (`::ffff:10.1.2.3`).
 */
export function clientKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  return ipKeyGenerator(ip);
}
