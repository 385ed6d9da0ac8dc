import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { traceFields } from '../logging/trace.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** Request-scoped logger carrying the Cloud Trace fields. */
    log: Logger;
    requestId: string;
  }
}

const kContext = Symbol('requestContext');
const kLog = Symbol('requestLog');
const kStarted = Symbol('requestStarted');

interface Context {
  logger: Logger;
  projectId: string | undefined;
}

type ContextRequest = Request & { [kContext]: Context; [kLog]?: Logger; [kStarted]: number };

/**
 * Gives each request a child logger tied to its trace and logs one line when it finishes,
 * in Cloud Logging's `httpRequest` shape. Never logs bodies or query strings.
 *
 * The child is made on first use, by an accessor on the app's request prototype: with
 * redaction on, a pino child costs more than a whole token mint, and a request that logs
 * nothing at the configured level never needs one. Nothing else is allocated per request
 * beyond the id (the finish listener is one shared function).
 */
export function requestContext(app: Express, logger: Logger, projectId: string | undefined): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: ContextRequest) {
      return (this[kLog] ??= childLogger(this));
    },
    set(this: ContextRequest, value: Logger) {
      this[kLog] = value;
    },
  });
  const context: Context = { logger, projectId };
  return (req, res, next) => {
    const request = req as ContextRequest;
    request[kStarted] = performance.now();
    request[kContext] = context;
    req.requestId = randomUUID();
    res.on('finish', logFinished);
    next();
  };
}

function childLogger(req: ContextRequest): Logger {
  const { logger, projectId } = req[kContext];
  return logger.child({
    requestId: req.requestId,
    ...traceFields({ cloudTraceContext: req.get('x-cloud-trace-context'), traceparent: req.get('traceparent') }, projectId),
  });
}

function logFinished(this: Response): void {
  const req = this.req as ContextRequest;
  const level = this.statusCode >= 500 ? 'error' : this.statusCode >= 400 ? 'warn' : 'info';
  if (!(req[kLog] ?? req[kContext].logger).isLevelEnabled(level)) return;
  const latencySeconds = (performance.now() - req[kStarted]) / 1000;
  req.log[level](
    {
      httpRequest: {
        requestMethod: req.method,
        requestUrl: req.path,
        status: this.statusCode,
        remoteIp: req.ip,
        userAgent: req.get('user-agent'),
        latency: `${latencySeconds.toFixed(3)}s`,
      },
    },
    `${req.method} ${req.path} ${this.statusCode}`,
  );
}
