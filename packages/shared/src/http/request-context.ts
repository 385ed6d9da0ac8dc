import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { traceFields } from '../logging/trace.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Request-scoped logger carrying the Cloud Trace fields. */
    log: Logger;
    requestId: string;
  }
}

/**
 * Gives each request a child logger tied to its trace and logs one line when it finishes,
 * in Cloud Logging's `httpRequest` shape. Never logs bodies or query strings.
 */
export function requestContext(logger: Logger, projectId: string | undefined): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    req.requestId = randomUUID();
    req.log = logger.child({
      requestId: req.requestId,
      ...traceFields(
        { cloudTraceContext: req.get('x-cloud-trace-context'), traceparent: req.get('traceparent') },
        projectId,
      ),
    });
    res.on('finish', () => {
      const latencySeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      req.log[level](
        {
          httpRequest: {
            requestMethod: req.method,
            requestUrl: req.path,
            status: res.statusCode,
            remoteIp: req.ip,
            userAgent: req.get('user-agent'),
            latency: `${latencySeconds.toFixed(3)}s`,
          },
        },
        `${req.method} ${req.path} ${res.statusCode}`,
      );
    });
    next();
  };
}
