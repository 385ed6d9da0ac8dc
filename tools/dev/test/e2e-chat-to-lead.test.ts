/**
 * End to end on the local cloud, with no browser trigger at all: a conversation through
 * `/api/chatkit` (the session service from its real entry point) → the session service's own
 * `auto` Cloud Task → the lead service → local SES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { localFirestoreClient } from '../src/testing/firestore-client.js';
import { startLocalStack, type LocalStack } from '../src/local-stack/start-local-stack.js';
import { readStore, type SesStoredEmail } from '../src/ses/start-ses.js';

const ORIGIN = 'http://localhost:5000';
let stack: LocalStack;
let db: Firestore;

beforeAll(async () => {
  stack = await startLocalStack({
    ports: { session: 0, lead: 0, firestore: 0, ses: 0, openai: 0, cloudGrpc: 0, cloudHttp: 0 },
    allowedOrigins: [ORIGIN],
    serviceOutput: 'ignore',
    serviceEnv: { LOG_LEVEL: 'warn', LEAD_AUTO_DELAY_SECONDS: '1' },
  });
  await stack.ready(60_000);
  db = localFirestoreClient({ projectId: stack.projectId, hostPort: stack.firestore.hostPort });
}, 90_000);
afterAll(async () => {
  await db?.terminate();
  await stack?.stop();
}, 30_000);

async function chat(messages: string[]): Promise<string> {
  const minted = (await (
    await fetch(`${stack.urls.session}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: '{"locale":"en"}',
    })
  ).json()) as { token: string };
  let threadId = '';
  for (const text of messages) {
    const input = { content: [{ type: 'input_text', text }], attachments: [], inference_options: {} };
    const body = threadId
      ? { type: 'threads.add_user_message', params: { thread_id: threadId, input }, metadata: {} }
      : { type: 'threads.create', params: { input }, metadata: {} };
    const response = await fetch(`${stack.urls.session}/api/chatkit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, authorization: `Bearer ${minted.token}` },
      body: JSON.stringify(body),
    });
    const stream = await response.text();
    expect(stream).toContain('"type":"thread.item.done"');
    expect(stream).not.toContain('"type":"error"');
    threadId ||= /"thread":\{"id":"(cthr_[^"]+)"/.exec(stream)?.[1] ?? '';
  }
  expect(threadId).toMatch(/^cthr_/);
  return threadId;
}

async function emailsFor(threadId: string): Promise<SesStoredEmail[]> {
  return (await readStore(stack.urls.sesViewer.replace(/\/$/, ''))).filter((email) =>
    `${email.body.html ?? ''}${email.body.text ?? ''}`.includes(threadId),
  );
}

async function leadRecord(threadId: string): Promise<Record<string, unknown> | undefined> {
  return (await db.collection('leadThreads').doc(threadId).get()).data();
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the lead follows the conversation, server-side', () => {
  it('when the customer gives a phone number in the chat, then exactly one lead email arrives with that transcript', async () => {
    const threadId = await chat([
      'Hi, the driver seat of my 2016 Ford F-150 has a big tear in the leather',
      'I am Dana, call me at 408-555-0177',
    ]);
    const emails = await until(
      () => emailsFor(threadId),
      (list) => list.length > 0,
      40_000,
    );
    expect(emails).toHaveLength(1);
    const email = emails[0]!;
    expect(email.body.text ?? '').toContain('F-150');
    expect(email.body.text ?? '').toMatch(/408.?555.?0177|\+14085550177/);
    // Later turns' triggers find the lead sent: still one email.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await emailsFor(threadId)).toHaveLength(1);
    expect((await leadRecord(threadId))?.lead).toMatchObject({ messageId: email.messageId });
  }, 70_000);

  it('when the customer gives no contact, then the evaluation ends without an email', async () => {
    const threadId = await chat(['Do you repair motorcycle seats?']);
    const record = await until(
      () => leadRecord(threadId),
      (r) => r !== undefined && r.lease === null && r.lastOutcome !== null,
      40_000,
    );
    expect(record?.lastOutcome).toMatchObject({ outcome: 'missing_contact', version: 1 });
    expect(await emailsFor(threadId)).toEqual([]);
  }, 60_000);
});
