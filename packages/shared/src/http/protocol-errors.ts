import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { AppError, errorBody } from '../errors/app-error.js';

/** How long a refused connection may linger (the client reading our answer) before it is cut. */
const LINGER_MS = 5000;

/**
 * What Node's HTTP parser refuses before any Express code runs, answered as the contract's JSON
 * error instead of Node's empty `400`/`417`/`431` (or a silently closed socket):
 *
 * - `clientError` (malformed request line or headers, unknown method, oversized headers, bad
 *   chunked framing, a request that did not arrive in time): 400, 431, 413 or 408, then the
 *   connection closes;
 * - `checkExpectation` (an `Expect` other than `100-continue`): 417;
 * - `connect` (a `CONNECT` tunnel request; this is no proxy): 400.
 *
 * An unknown method gets 400, not 405: the parser stops before the path, and a 405 must list the
 * path's methods in `Allow`; 501 would be the RFC's answer, but bad input is never a 5xx here.
 */
export function answerProtocolErrors(server: Server, logger?: Logger): Server {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (answered.has(socket)) return; // the parser reports every further chunk of a refused request
    answered.add(socket);
    if (error.code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
      socket.destroy();
      return;
    }
    const refusal = clientErrorFor(error.code);
    logger?.info({ code: refusal.code, parserError: error.code }, 'malformed HTTP request refused');
    refuse(socket, refusal);
  });
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const refusal = new AppError('expectation_failed', 'Only "Expect: 100-continue" is supported.');
    logger?.info({ code: refusal.code, path: req.url?.split('?')[0] }, 'unsupported Expect refused');
    res.writeHead(refusal.status, { ...jsonHeaders(errorBody(refusal)), Connection: 'close' }).end(errorBody(refusal));
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    refuse(socket, new AppError('invalid_request', 'This service is not a proxy: CONNECT is not supported.'));
  });
  return server;
}

/** llhttp's error codes (and Node's own timeout) → the answer. */
function clientErrorFor(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('headers_too_large', 'The request headers are too large.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new AppError('payload_too_large', 'The request body framing is too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('request_timeout', 'The request did not arrive in time.');
    case 'HPE_INVALID_METHOD':
      return new AppError('invalid_request', 'The request method is not one this service knows.');
    default:
      return new AppError('invalid_request', 'The request is not valid HTTP/1.1.');
  }
}

/** Writes a complete response on a raw socket and closes it once the client has had it. */
function refuse(socket: Duplex, error: AppError): void {
  const body = errorBody(error);
  const headers = Object.entries({ ...jsonHeaders(body), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  // Ending (not destroying) while the rest of the request is still read and dropped: closing a
  // socket with unread input makes the kernel send RST, and the client would lose the answer.
  socket.end(`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n${headers}\r\n${body}`);
  socket.resume();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(timer));
}

function jsonHeaders(body: string): Record<string, string> {
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** Node's own check before it writes its default answer: never interleave with a response already on the wire. */
function responseStarted(socket: Duplex): boolean {
  return (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage?.headersSent === true;
}
