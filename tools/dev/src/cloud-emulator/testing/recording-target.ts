import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP target for task handlers in tests: records every request (method, path, headers,
 * body, arrival time) and answers with a programmable handler (default: 200).
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Real epoch ms when the request arrived. */
  receivedAtMs: number;
}

export type TargetHandler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface RecordingTarget {
  url: string;
  requests: RecordedRequest[];
  /** Replaces the answer logic. */
  respondWith(handler: TargetHandler): void;
  /** Resolves once `count` requests matching `filter` have arrived. */
  waitForRequests(count: number, filter?: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

export const respondStatus =
  (status: number): TargetHandler =>
  (_request, response) => {
    response.writeHead(status).end();
  };

export async function startRecordingTarget(handler: TargetHandler = respondStatus(200)): Promise<RecordingTarget> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const listeners = new Set<() => void>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
        receivedAtMs: Date.now(),
      };
      requests.push(recorded);
      for (const listener of listeners) listener();
      Promise.resolve(current(recorded, res)).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respondWith(next) {
      current = next;
    },
    waitForRequests(count, filter = () => true, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const matching = requests.filter(filter);
          if (matching.length < count) return false;
          listeners.delete(listener);
          clearTimeout(timer);
          resolve(matching);
          return true;
        };
        const listener = (): void => void check();
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`expected ${count} requests within ${timeoutMs} ms, got ${requests.filter(filter).length}`));
        }, timeoutMs);
        listeners.add(listener);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The gRPC status code a client call failed with (throws when it did not fail). */
export async function grpcCodeOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
  } catch (error) {
    return (error as { code?: number }).code;
  }
  throw new Error('expected the call to fail');
}
