import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudTasksClient } from '@google-cloud/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreThreadStore } from '@lead-intake/shared';
import { emulatorClientOptions } from '@lead-intake/dev-tools/cloud-emulator/index';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { ThreadStoreReader } from '../src/adapters/thread-store-reader.js';
import { startLeadEnv, TASKS_SA, waitFor, type LeadEnv } from './harness.js';
import { failingFirestore, forgedToken } from './support/fakes.js';

/**
 * POST /tasks/trigger: the session service's server-side trigger, delivered by Cloud Tasks with
 * an OIDC token for the trigger URL. Tasks are created in the emulator exactly as the session
 * service creates them (its own queue; here the test's queue).
 */
let env: LeadEnv;
let tasks: CloudTasksClient;
beforeAll(async () => {
  env = await startLeadEnv({ autoDelaySeconds: 1 });
  tasks = new CloudTasksClient(emulatorClientOptions(env.cloud));
});
afterAll(async () => {
  await tasks.close();
  await env.close();
});

let seq = 0;
const newThreadId = (label: string) => `cthr_trig_${label}_${Date.now().toString(36)}_${(seq += 1)}`;
const lead = (threadId: string) =>
  chatThread(threadId, [
    userMessage('The vinyl on my 1967 Mustang bench seat is split, can you redo it? Ana, 650-555-0133'),
    assistantMessage('Yes, we restore classic seats. The shop will call you, Ana.'),
  ]);

type Oidc = { serviceAccountEmail: string; audience?: string } | null;

/**
 * A real Cloud Task aimed at /tasks/trigger (by default without an explicit audience: Cloud Tasks
 * then uses the URL, as the session service's tasks do); resolves with its name once its first
 * attempt has an answer.
 */
async function triggerTask(body: unknown, oidc: Oidc = { serviceAccountEmail: TASKS_SA }, url = env.triggerUrl): Promise<string> {
  const [task] = await tasks.createTask({
    parent: env.queue,
    task: {
      httpRequest: {
        httpMethod: 'POST',
        url,
        headers: { 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)).toString('base64'),
        ...(oidc ? { oidcToken: oidc } : {}),
      },
    },
  });
  const name = task.name ?? '';
  await waitFor(async () => attemptsOf(name)[0] !== undefined);
  return name;
}

const snapshotOf = (name: string) => env.cloud.tasks.get(name) ?? env.cloud.tasks.finished(env.queue).find((t) => t.name === name);
const attemptsOf = (name: string): number[] =>
  (snapshotOf(name)?.attempts ?? []).flatMap((attempt) => (attempt.httpStatus === null ? [] : [attempt.httpStatus]));
const allTaskNames = () => [...env.cloud.tasks.list(env.queue), ...env.cloud.tasks.finished(env.queue)].map((task) => task.name);

describe('POST /tasks/trigger through Cloud Tasks', () => {
  it('when the session service triggers a lead thread with a valid token, then a lease is taken, the thread is evaluated and the shop gets one email', async () => {
    const threadId = await env.seed(lead(newThreadId('valid')));
    const name = await triggerTask({
      threadId,
      reason: 'chat_closed',
      locale: 'en',
      pageUrl: 'https://shop.example/en/',
      user: 'anon_trigger_test_1',
    });
    expect(attemptsOf(name)).toEqual([200]);

    const record = await waitFor(async () => env.record(threadId).then((r) => r ?? undefined));
    expect(record.attempts).toBe(1);
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await waitFor(async () => (await env.state(threadId)) === 'sent');
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    expect((await env.record(threadId))?.lead?.trigger).toBe('chat_closed');
  });

  it('when a burst of auto triggers arrives as tasks, then the existing auto delay coalesces them into one lease and one evaluation', async () => {
    const threadId = await env.seed(lead(newThreadId('burst')));
    const before = allTaskNames();
    const names = await Promise.all(Array.from({ length: 5 }, () => triggerTask({ threadId, reason: 'auto' })));
    for (const name of names) expect(attemptsOf(name)).toEqual([200]);

    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    expect((await env.record(threadId))?.attempts).toBe(1);
    const evaluations = allTaskNames().filter((task) => !before.includes(task) && /\/tasks\/lead-/.test(task));
    expect(evaluations).toHaveLength(1);
  });

  it('when the thread is not in the store, then 200 with ok:false not_found, once (no retry), and nothing is scheduled', async () => {
    const threadId = newThreadId('missing');
    const before = allTaskNames();
    const name = await triggerTask({ threadId, reason: 'idle' });
    expect((await env.cloud.tasks.waitForTask(name)).status).toBe('succeeded');
    expect(attemptsOf(name)).toEqual([200]);
    expect(allTaskNames().filter((task) => !before.includes(task))).toEqual([name]);
    expect(await env.record(threadId)).toBeNull();
  });

  it('when the body is not a lead request, then 400 names the field', async () => {
    const name = await triggerTask({ threadId: 'thread_1', reason: 'idle' });
    expect(attemptsOf(name)[0]).toBe(400);
  });
});

describe('POST /tasks/trigger answers', () => {
  it('when Cloud Tasks delivers it, then the body is the lead response; a missing thread is ok:false not_found', async () => {
    const proxy = await recordingProxy(env.triggerUrl);
    try {
      const threadId = await env.seed(lead(newThreadId('answer')));
      const via = (body: unknown) => triggerTask(body, { serviceAccountEmail: TASKS_SA, audience: env.triggerUrl }, proxy.url);
      expect(attemptsOf(await via({ threadId, reason: 'idle' }))).toEqual([200]);
      expect(attemptsOf(await via({ threadId, reason: 'pagehide' }))).toEqual([200]);
      expect(attemptsOf(await via({ threadId: newThreadId('nope'), reason: 'idle' }))).toEqual([200]);
      expect(proxy.answers.map((answer) => JSON.parse(answer) as unknown)).toEqual([
        { ok: true, sent: false, reason: 'queued' },
        expect.objectContaining({ ok: true, reason: expect.stringMatching(/^(in_progress|already_sent)$/) }),
        { ok: false, sent: false, reason: 'not_found' },
      ]);
    } finally {
      await proxy.close();
    }
  });
});

describe('POST /tasks/trigger authentication', () => {
  const body = () => ({ threadId: newThreadId('auth'), reason: 'idle' });

  it('when the request has no token, then 401 and nothing runs', async () => {
    const response = await fetch(env.triggerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body()),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('when the token is forged, then 401', async () => {
    const threadId = await env.seed(lead(newThreadId('forged')));
    const response = await fetch(env.triggerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forgedToken(env.triggerUrl, TASKS_SA)}` },
      body: JSON.stringify({ threadId, reason: 'idle' }),
    });
    expect(response.status).toBe(401);
    expect(await env.record(threadId)).toBeNull();
  });

  it('when a Cloud Task carries no OIDC token, then 401', async () => {
    expect(attemptsOf(await triggerTask(body(), null))[0]).toBe(401);
  });

  it('when the token was minted for /tasks/lead, then /tasks/trigger refuses it (401): each endpoint has its own audience', async () => {
    expect(attemptsOf(await triggerTask(body(), { serviceAccountEmail: TASKS_SA, audience: env.handlerUrl }))[0]).toBe(401);
  });

  it('when Cloud Tasks signs as another service account, then 403', async () => {
    const name = await triggerTask(body(), { serviceAccountEmail: 'intruder@local-project.iam.gserviceaccount.com' });
    expect(attemptsOf(name)[0]).toBe(403);
  });
});

describe('when the thread store is unavailable', () => {
  it('then /tasks/trigger answers 503 so Cloud Tasks retries, and the public endpoint 503 with Retry-After', async () => {
    const down = await startLeadEnv({
      overrides: {
        threads: new ThreadStoreReader(new FirestoreThreadStore(failingFirestore(14, '14 UNAVAILABLE: no connection'), { retentionMs: 1 })),
      },
    });
    const downTasks = new CloudTasksClient(emulatorClientOptions(down.cloud));
    try {
      const threadId = newThreadId('down');
      const [task] = await downTasks.createTask({
        parent: down.queue,
        task: {
          httpRequest: {
            httpMethod: 'POST',
            url: down.triggerUrl,
            headers: { 'Content-Type': 'application/json' },
            body: Buffer.from(JSON.stringify({ threadId, reason: 'idle' })).toString('base64'),
            oidcToken: { serviceAccountEmail: TASKS_SA },
          },
        },
      });
      const statuses = await waitFor(async () => {
        const snapshot = down.cloud.tasks.get(task.name ?? '') ?? down.cloud.tasks.finished(down.queue).find((t) => t.name === task.name);
        const done = (snapshot?.attempts ?? []).filter((a) => a.httpStatus !== null);
        return done.length >= 2 && done.map((a) => a.httpStatus);
      });
      expect(statuses.slice(0, 2)).toEqual([503, 503]);

      const response = await down.trigger({ threadId, reason: 'idle' });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      expect(await down.record(threadId)).toBeNull();
    } finally {
      await downTasks.close();
      await down.close();
    }
  });
});

/** Stands between Cloud Tasks and the endpoint (headers and body passed on) and keeps the answers' bodies. */
async function recordingProxy(target: string) {
  const answers: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void fetch(target, {
        method: 'POST',
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' },
        body: Buffer.concat(chunks),
      }).then(async (answer) => {
        const text = await answer.text();
        answers.push(text);
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tasks/trigger`,
    answers,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A Firestore whose every read fails with UNAVAILABLE (gRPC 14), as during an outage. */
