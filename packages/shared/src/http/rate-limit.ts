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
    // IPv6 clients are grouped by /56 (express-rate-limit's own rule); IPv4 needs no parsing.
    keyGenerator: (req) => {
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      return ip.includes(':') ? ipKeyGenerator(ip) : ip;
    },
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
