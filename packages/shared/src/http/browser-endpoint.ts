import type { Express, RequestHandler } from 'express';
import { jsonBody } from './json-body.js';
import { originPolicy } from './origin.js';
import { perClientRateLimit } from './rate-limit.js';

export interface BrowserEndpointOptions {
  allowedOrigins: readonly string[];
  rateLimitPerMinute: number;
  /** e.g. '8kb' */
  bodyLimit: string;
  acceptTextPlain?: boolean;
  /** Request headers browsers may send besides Content-Type (e.g. Authorization). */
  allowHeaders?: readonly string[];
}

/**
 * A public `POST` JSON endpoint called from the site: CORS preflight, Origin allowlist (403),
 * per-client rate limit (429), body type and size checks (415, 413), then the handler.
 */
export function browserEndpoint(app: Express, path: string, options: BrowserEndpointOptions, handler: RequestHandler): void {
  const origins = originPolicy({
    allowedOrigins: options.allowedOrigins,
    methods: ['POST'],
    allowHeaders: ['Content-Type', ...(options.allowHeaders ?? [])],
  });
  // One route for both methods: one path match per request.
  app
    .route(path)
    .options(origins)
    .post(
      origins,
      perClientRateLimit({ limit: options.rateLimitPerMinute }),
      ...jsonBody({ limit: options.bodyLimit, acceptTextPlain: options.acceptTextPlain ?? false }),
      handler,
    );
}
