import { createServer, type RequestListener, type Server, type ServerOptions } from 'node:http';
import type { Logger } from 'pino';
import { answerProtocolErrors } from './protocol-errors.js';

/**
 * The services' `http.Server`: what Node's parser refuses is answered as the contract's JSON error
 * (protocol-errors.ts), and a request without `Host` reaches the app (`requireHostHeader: false`),
 * whose base app refuses it as JSON instead of Node's empty 400.
 */
export function createHttpServer(
  handler?: RequestListener,
  logger?: Logger,
  timeouts: Pick<ServerOptions, 'headersTimeout' | 'requestTimeout' | 'connectionsCheckingInterval'> = {},
): Server {
  const server = createServer({ requireHostHeader: false, ...timeouts });
  if (handler) server.on('request', handler);
  return answerProtocolErrors(server, logger);
}
