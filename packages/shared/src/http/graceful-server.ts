import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { createHttpServer } from './http-server.js';

export interface RunningServer {
  server: Server;
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to the timeout), then closes. */
  shutdown(reason: string): Promise<void>;
}

/** A request (headers and body) must have arrived by then; what a service answers may take longer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface StartServerOptions {
  port: number;
  host?: string;
  logger: Logger;
  drainTimeoutMs: number;
  /**
   * Headers and body must arrive within this long, or the answer is 408 `request_timeout` and the
   * connection closes (Node's `requestTimeout`, checked every second instead of every 30 s).
   * Only the request counts: a long answer (an event stream) is not cut. Default 30 s.
   */
  requestTimeoutMs?: number;
  /** Called once when a shutdown starts, with the time in-flight requests have left. */
  onShutdown?: (drainTimeoutMs: number) => void;
}

/**
 * Listens on `port` and drains on shutdown: new connections are refused at once, idle
 * keep-alive sockets are closed, in-flight requests get until `drainTimeoutMs` and are told
 * `Connection: close`; whatever is left after that is cut.
 */
export async function startServer(handler: RequestListener, options: StartServerOptions): Promise<RunningServer> {
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createHttpServer(handler, options.logger, {
    requestTimeout,
    headersTimeout: requestTimeout,
    connectionsCheckingInterval: Math.min(1_000, requestTimeout),
  });
  // Cloud Run's front end keeps connections open for up to 10 minutes; stay above its idle timeout.
  // (The headers timer starts with a request's first byte, so idle keep-alive time never counts.)
  server.keepAliveTimeout = 620_000;
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  function settled(this: ServerResponse): void {
    inFlight.delete(this);
    // A drained keep-alive socket would otherwise hold server.close() open until the timeout.
    if (draining) server.closeIdleConnections();
  }
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    if (draining) res.setHeader('Connection', 'close');
    res.on('close', settled);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      draining = true;
      options.onShutdown?.(options.drainTimeoutMs);
      for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
      options.logger.info({ reason }, 'shutting down: draining in-flight requests');
      const timer = setTimeout(() => {
        options.logger.warn('drain timeout reached; closing remaining connections');
        server.closeAllConnections();
      }, options.drainTimeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        options.logger.info('server closed');
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { server, port, shutdown };
}

/** Wires SIGTERM/SIGINT to a drain and exits; Cloud Run sends SIGTERM 10 s before SIGKILL. */
export function exitOnSignals(running: RunningServer, logger: Logger, cleanup?: () => Promise<void>): void {
  let handled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (handled) return;
    handled = true;
    void running
      .shutdown(signal)
      .then(() => cleanup?.())
      .then(
        () => {
          logger.flush();
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, 'error during shutdown');
          logger.flush();
          process.exit(1);
        },
      );
  };
  // `on`, not `once`: libraries (the Agents SDK's tracing) exit the process on a signal when they
  // see no other listener; ours must stay registered until the drain is done.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
