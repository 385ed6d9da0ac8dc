import { request as httpRequest } from 'node:http';
import type { OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { status } from '@grpc/grpc-js';
import { rpcCodeForHttpStatus } from './http-status.js';

/** Sends one task attempt to its HTTP target and classifies the outcome. */

export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export interface SendResult {
  /** Undefined when the handler gave no answer (deadline, refused connection, reset). */
  httpStatus: number | undefined;
  rpcCode: number;
  message: string;
}

export function sendHttpRequest(req: OutgoingRequest, timeoutRealMs: number, signal: AbortSignal): Promise<SendResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const headers: OutgoingHttpHeaders = { ...req.headers };
    if (req.body) headers['content-length'] = req.body.length;
    const send = req.url.startsWith('https:') ? httpsRequest : httpRequest;
    const outgoing = send(req.url, { method: req.method, headers, agent: false });

    const timer = setTimeout(() => {
      finish({
        httpStatus: undefined,
        rpcCode: status.DEADLINE_EXCEEDED,
        message: 'DEADLINE_EXCEEDED: the handler did not answer within dispatch_deadline',
      });
      outgoing.destroy();
    }, timeoutRealMs);
    const onAbort = (): void => {
      finish({ httpStatus: undefined, rpcCode: status.CANCELLED, message: 'CANCELLED: emulator shutting down' });
      outgoing.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });

    outgoing.on('response', (response) => {
      const code = response.statusCode ?? 0;
      response.resume();
      response.on('end', () => finish({ httpStatus: code, rpcCode: rpcCodeForHttpStatus(code), message: `HTTP ${code}` }));
      response.on('error', (error) =>
        finish({ httpStatus: undefined, rpcCode: status.UNAVAILABLE, message: `UNAVAILABLE: ${error.message}` }),
      );
    });
    outgoing.on('error', (error) =>
      finish({ httpStatus: undefined, rpcCode: status.UNAVAILABLE, message: `UNAVAILABLE: ${error.message}` }),
    );
    outgoing.end(req.body);
  });
}
