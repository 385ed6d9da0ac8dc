import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '@lead-intake/dev-tools/testing/raw-http';
import { createHttpServer, createLogger, startServer } from '../src/index.js';

let server: ReturnType<typeof createHttpServer>;
let port: number;
beforeAll(async () => {
  // Node's own request timeouts, shortened: headers must arrive within 200 ms (checked every 50 ms).
  server = createHttpServer((_req, res) => res.end('{}'), undefined, {
    headersTimeout: 200,
    requestTimeout: 300,
    connectionsCheckingInterval: 50,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a request that does not arrive in time', () => {
  it('when the headers stop half-way and the client waits, then 408 request_timeout as the contract JSON error, and the connection closes', async () => {
    const response = await sendRaw(port, 'POST /api/chatkit/lead HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl', {
      idleMs: 5_000,
      timeoutMs: 5_000,
    });
    expect(response?.status).toBe(408);
    expect(response?.headers['content-type']).toMatch(/^application\/json/);
    expect(response?.headers['connection']).toBe('close');
    expect(JSON.parse(response?.body ?? '')).toEqual({
      error: { code: 'request_timeout', message: 'The request did not arrive in time.' },
    });
  });

  it('when the whole request arrives in time, then it is answered normally', async () => {
    const response = await sendRaw(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(response?.status).toBe(200);
  });
});

describe('the services’ server (startServer)', () => {
  it('when a request body never finishes, then 408 request_timeout once the request timeout passes, not minutes later', async () => {
    // A handler that waits for the whole body, as the JSON body parser does.
    const running = await startServer(
      (req, res) => {
        req.resume();
        req.on('end', () => res.end('{}'));
      },
      {
        port: 0,
        host: '127.0.0.1',
        logger: createLogger({ level: 'silent', service: 'test' }),
        drainTimeoutMs: 100,
        requestTimeoutMs: 300,
      },
    );
    try {
      const response = await sendRaw(
        running.port,
        'POST /api/chatkit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"type":',
        { idleMs: 10_000, timeoutMs: 5_000 },
      );
      expect(response?.status).toBe(408);
      expect(JSON.parse(response?.body ?? '')).toMatchObject({ error: { code: 'request_timeout' } });
    } finally {
      await running.shutdown('test');
    }
  });
});
