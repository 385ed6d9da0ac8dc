import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { proxyTrust } from './client-ip.js';
import { AppError } from '../errors/app-error.js';
import { requestContext } from './request-context.js';

export interface BaseAppOptions {
  logger: Logger;
  projectId?: string | undefined;
  /** Proxy hops always trusted (1 = Cloud Run's front end), or false. */
  trustProxy: number | false;
  /** Proxies trusted beyond those hops only from these CIDR ranges (decision 0007). */
  trustedProxyRanges?: readonly string[] | undefined;
}

/**
 * An Express app with what every service needs before its routes: no `x-powered-by`,
 * security headers for a JSON API, request logging with trace correlation, and `GET /health`.
 * Services add their routes, then `finishApp`.
 */
export function createBaseApp(options: BaseAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', proxyTrust({ hops: options.trustProxy, ranges: options.trustedProxyRanges ?? [] }));
  app.set('json spaces', 0);
  // Every answer is no-store JSON: an ETag (a SHA-1 of each body) would never be used.
  app.set('etag', false);
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
      crossOriginResourcePolicy: { policy: 'same-site' },
    }),
  );
  app.use(requestContext(app, options.logger, options.projectId));
  app.use(requireHost);
  app.get('/health', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true });
  });
  return app;
}

/** HTTP/1.1 requires `Host` (RFC 9112 §3.2); Node's own check answers an empty 400, so the server leaves it to this. */
const requireHost: RequestHandler = (req, _res, next) => {
  if (req.headers.host === undefined && req.httpVersion === '1.1') {
    return next(new AppError('invalid_request', 'The Host header is required.'));
  }
  next();
};
