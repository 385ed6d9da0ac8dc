/**
 * The SES adapter against the local SES and its faults: what each failure proves decides whether
 * it is retried (nothing was taken) or reported as an unknown outcome (never retried).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { clearSesFaults, injectSesFaults, listSesFaults, readStore, sesClientConfig } from '@lead-intake/dev-tools/ses/start-ses';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { createSesClient, SesMailer } from '../src/adapters/ses-mailer.js';
import { PermanentError, SendOutcomeUnknownError, TransientError } from '../src/domain/errors.js';
import type { OutgoingEmail } from '../src/ports.js';

const { endpoint } = useProvided('ses');
const clients: SESClient[] = [];
const client = (options: { endpoint?: string; requestTimeoutMs?: number } = {}) => {
  const ses = createSesClient({ region: 'us-west-1', endpoint: options.endpoint ?? endpoint, ...options });
  clients.push(ses);
  return ses;
};
afterAll(() => {
  for (const ses of clients) ses.destroy();
});

const mark = () => `mailer-${randomUUID().slice(0, 8)}`;
const email = (id: string): OutgoingEmail => ({
  to: ['shop@rosewood.example'],
  from: 'leads@rosewood.example',
  replyTo: null,
  subject: `New lead (${id})`,
  html: '<p>lead</p>',
  text: 'lead',
});
const stored = async (id: string) => (await readStore(endpoint)).filter((e) => e.subject.includes(id));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('SesMailer', () => {
  // Faults are scoped by subject; nothing else consumes them, but leave none behind.
  afterEach(async () => {
    const mine = (await listSesFaults(endpoint)).some((fault) => fault.subjectContains?.startsWith('mailer-'));
    if (mine) await clearSesFaults(endpoint);
  });

  it('when SES throttles twice and the mailer has 3 attempts, then the third attempt sends exactly one email', async () => {
    const id = mark();
    await injectSesFaults(endpoint, { kind: 'throttle', subjectContains: id, times: 2 });
    const { messageId } = await new SesMailer(client(), { attempts: 3, backoffMs: 10 }).send(email(id));
    expect((await stored(id)).map((e) => e.messageId)).toEqual([messageId]);
  });

  it('when SES answers 503 and the mailer has one attempt, then it throws TransientError (the task is retried) and nothing is stored', async () => {
    const id = mark();
    await injectSesFaults(endpoint, { kind: 'status', status: 503, code: 'ServiceUnavailable', subjectContains: id });
    expect(await failure(new SesMailer(client()).send(email(id)))).toBeInstanceOf(TransientError);
    expect(await stored(id)).toHaveLength(0);
  });

  it('when SES rejects the message (400 MessageRejected), then it throws PermanentError without retrying', async () => {
    const id = mark();
    await injectSesFaults(endpoint, { kind: 'status', status: 400, code: 'MessageRejected', subjectContains: id, times: 3 });
    expect(await failure(new SesMailer(client(), { attempts: 3, backoffMs: 10 }).send(email(id)))).toBeInstanceOf(PermanentError);
    expect((await listSesFaults(endpoint)).find((fault) => fault.subjectContains === id)?.remaining).toBe(2);
  });

  it('when SES stores the email and its reply is lost, then it throws SendOutcomeUnknownError and never re-sends, whatever its attempts', async () => {
    const id = mark();
    await injectSesFaults(endpoint, { kind: 'reply_lost', subjectContains: id });
    expect(await failure(new SesMailer(client(), { attempts: 3, backoffMs: 10 }).send(email(id)))).toBeInstanceOf(SendOutcomeUnknownError);
    expect(await stored(id)).toHaveLength(1);
  });

  it('when the connection drops after the request was sent, then the outcome is unknown even though nothing was stored (the client cannot tell)', async () => {
    const id = mark();
    await injectSesFaults(endpoint, { kind: 'reset', subjectContains: id, times: 3 });
    expect(await failure(new SesMailer(client(), { attempts: 3, backoffMs: 10 }).send(email(id)))).toBeInstanceOf(SendOutcomeUnknownError);
    expect((await listSesFaults(endpoint)).find((fault) => fault.subjectContains === id)?.remaining).toBe(2);
  });

  it('when nothing listens on the SES endpoint (connection refused), then it throws TransientError: nothing was sent', async () => {
    const closed = await closedPort();
    expect(await failure(new SesMailer(client({ endpoint: `http://127.0.0.1:${closed}` })).send(email(mark())))).toBeInstanceOf(
      TransientError,
    );
  });

  it('when SES takes the request and never answers, then the request timeout makes the outcome unknown', async () => {
    const silent = await silentServer();
    try {
      const ses = client({ endpoint: silent.endpoint, requestTimeoutMs: 300 });
      expect(await failure(new SesMailer(ses, { attempts: 3, backoffMs: 10 }).send(email(mark())))).toBeInstanceOf(SendOutcomeUnknownError);
      expect(silent.requests()).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('when the request fails before it is sent (no credentials), then it throws TransientError', async () => {
    const ses = new SESClient({
      ...sesClientConfig(endpoint),
      maxAttempts: 1,
      credentials: () => Promise.reject(new Error('no AWS credentials in this environment')),
    });
    clients.push(ses);
    expect(await failure(new SesMailer(ses).send(email(mark())))).toBeInstanceOf(TransientError);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts connections and reads requests, never answers. */
async function silentServer(): Promise<{ endpoint: string; requests(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      requests += 1;
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
