/** The local SES's fault injection, driven over HTTP and seen through the real @aws-sdk/client-ses. */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SESClient, SendEmailCommand, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { clearSesFaults, injectSesFaults, listSesFaults, readStore, sesClientConfig, startSes } from '../src/ses/start-ses.js';

const ses = await startSes();
// One attempt: what the fault does is what the test sees (no SDK retry hiding it).
const client = new SESClient({ ...sesClientConfig(ses.endpoint), maxAttempts: 1 });

afterEach(async () => {
  await clearSesFaults(ses.endpoint);
});
afterAll(async () => {
  client.destroy();
  await ses.close();
});

const marker = () => `m-${randomUUID().slice(0, 8)}`;
const send = (subject: string) =>
  client.send(
    new SendEmailCommand({
      Source: 'leads@shop.example',
      Destination: { ToAddresses: ['owner@shop.example'] },
      Message: { Subject: { Data: subject }, Body: { Text: { Data: 'body' } } },
    }),
  );
const stored = async (subjectPart: string) => (await readStore(ses.endpoint)).filter((email) => email.subject.includes(subjectPart));

describe('local SES faults', () => {
  it('when a throttle fault is injected, then the next send gets SES Throttling (400) and nothing is stored, and the one after goes through', async () => {
    const id = marker();
    await injectSesFaults(ses.endpoint, { kind: 'throttle', subjectContains: id });
    const error = (await send(`lead ${id}`).catch((e: unknown) => e)) as { name: string; $metadata: { httpStatusCode: number } };
    expect(error.name).toBe('Throttling');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(await stored(id)).toHaveLength(0);

    const out = await send(`lead ${id}`);
    expect((await stored(id)).map((email) => email.messageId)).toEqual([out.MessageId]);
  });

  it('when a 503 status fault is injected, then the send fails with that status and SES error code', async () => {
    const id = marker();
    await injectSesFaults(ses.endpoint, { kind: 'status', status: 503, code: 'ServiceUnavailable', subjectContains: id });
    const error = (await send(`lead ${id}`).catch((e: unknown) => e)) as { name: string; $metadata: { httpStatusCode: number } };
    expect(error.name).toBe('ServiceUnavailable');
    expect(error.$metadata.httpStatusCode).toBe(503);
    expect(await stored(id)).toHaveLength(0);
  });

  it('when a reply_lost fault is injected, then the email is stored but the client gets a connection error and no answer', async () => {
    const id = marker();
    await injectSesFaults(ses.endpoint, { kind: 'reply_lost', subjectContains: id });
    const error = (await send(`lead ${id}`).catch((e: unknown) => e)) as { code?: string; $metadata?: { httpStatusCode?: number } };
    expect(error.code).toBe('ECONNRESET');
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(await stored(id)).toHaveLength(1);
  });

  it('when a reset fault is injected, then the connection drops and nothing is stored', async () => {
    const id = marker();
    await injectSesFaults(ses.endpoint, { kind: 'reset', subjectContains: id });
    const error = (await send(`lead ${id}`).catch((e: unknown) => e)) as { code?: string };
    expect(error.code).toBe('ECONNRESET');
    expect(await stored(id)).toHaveLength(0);
  });

  it('when a fault names another subject, then other sends are untouched and it stays queued', async () => {
    const mine = marker();
    const other = marker();
    await injectSesFaults(ses.endpoint, { kind: 'throttle', subjectContains: other, times: 2 });
    await send(`lead ${mine}`);
    expect(await stored(mine)).toHaveLength(1);
    expect((await listSesFaults(ses.endpoint)).map((fault) => [fault.kind, fault.remaining])).toEqual([['throttle', 2]]);
  });

  it('when a fault is scoped to SendRawEmail, then it matches the raw MIME text and SendEmail passes', async () => {
    const id = marker();
    await injectSesFaults(ses.endpoint, { kind: 'throttle', action: 'SendRawEmail', subjectContains: id });
    await send(`lead ${id}`);
    const raw = `From: leads@shop.example\r\nTo: owner@shop.example\r\nSubject: raw ${id}\r\n\r\nbody\r\n`;
    const error = (await client
      .send(
        new SendRawEmailCommand({
          Source: 'leads@shop.example',
          Destinations: ['owner@shop.example'],
          RawMessage: { Data: Buffer.from(raw) },
        }),
      )
      .catch((e: unknown) => e)) as { name: string };
    expect(error.name).toBe('Throttling');
    expect(await stored(id)).toHaveLength(1);
  });

  it('when a fault spec is invalid, then POST /__ses/faults answers 400 invalid_fault and registers nothing', async () => {
    const response = await fetch(`${ses.endpoint}/__ses/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ kind: 'throttle' }, { kind: 'status', status: 200 }]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_fault');
    expect(await listSesFaults(ses.endpoint)).toEqual([]);
  });

  it('when faults are cleared, then none is left and sends go through', async () => {
    const id = marker();
    await injectSesFaults(ses.endpoint, { kind: 'reset', times: 'always' });
    await clearSesFaults(ses.endpoint);
    expect(await listSesFaults(ses.endpoint)).toEqual([]);
    await send(`lead ${id}`);
    expect(await stored(id)).toHaveLength(1);
  });

  it('when the store and viewer are read, then the fault layer passes them through', async () => {
    expect((await fetch(`${ses.endpoint}/`)).status).toBe(200);
    expect(Array.isArray(await readStore(ses.endpoint))).toBe(true);
  });
});
