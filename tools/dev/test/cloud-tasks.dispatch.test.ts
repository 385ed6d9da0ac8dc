import { setTimeout as sleep } from 'node:timers/promises';
import { CloudTasksClient } from '@google-cloud/tasks';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emulatorClientOptions, startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator } from '../src/cloud-emulator/index.js';
import { grpcCodeOf, respondStatus, startRecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';
import type { RecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';

// Emulated time runs 100x faster: 1 s of queue time = 10 ms real.
const TIME_SCALE = 100;
const DEDUPE_WINDOW_MS = 60_000;

let emulator: CloudEmulator;
let client: CloudTasksClient;
let target: RecordingTarget;
let queueCounter = 0;

beforeAll(async () => {
  emulator = await startCloudEmulator({ timeScale: TIME_SCALE, dedupeWindowMs: DEDUPE_WINDOW_MS });
  client = new CloudTasksClient(emulatorClientOptions(emulator));
  target = await startRecordingTarget();
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await target?.close();
});
beforeEach(() => {
  target.respondWith(respondStatus(200));
});

/** A fresh queue per test (fast retries unless overridden). */
function newQueue(config: Record<string, unknown> = {}): string {
  queueCounter += 1;
  return emulator.tasks.ensureQueue(`q${queueCounter}`, {
    retryConfig: { minBackoff: { seconds: 1 }, maxBackoff: { seconds: 1 } },
    ...config,
  });
}

function path(name: string): string {
  return `/${name}-${queueCounter}`;
}

const fromPath = (p: string) => (request: { path: string }) => request.path.startsWith(p);

async function createTask(queue: string, task: Record<string, unknown>): Promise<string> {
  const [created] = await client.createTask({ parent: queue, task });
  return created.name ?? '';
}

describe('Cloud Tasks HTTP dispatch', () => {
  it('when a task runs, then the handler gets method, url, headers, the decoded body and X-CloudTasks headers, and a 2xx deletes the task', async () => {
    const queue = newQueue();
    const p = path('deliver');
    const name = await createTask(queue, {
      httpRequest: {
        url: `${target.url}${p}?x=1`,
        httpMethod: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-Custom': 'v', 'User-Agent': 'ignored' },
        // REST-style base64 text; the handler must receive the decoded bytes.
        body: Buffer.from('{"lead":42}').toString('base64'),
      },
    });
    expect(name).toMatch(new RegExp(`^${queue}/tasks/\\d{19}$`));
    const finished = await emulator.tasks.waitForTask(name);
    expect(finished.status).toBe('succeeded');

    const [request] = await target.waitForRequests(1, fromPath(p));
    expect(request?.method).toBe('PUT');
    expect(request?.path).toBe(`${p}?x=1`);
    expect(request?.body.toString()).toBe('{"lead":42}');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-custom': 'v',
      'user-agent': 'Google-Cloud-Tasks',
      'x-cloudtasks-queuename': queue.split('/').pop(),
      'x-cloudtasks-taskname': name.split('/').pop(),
      'x-cloudtasks-taskretrycount': '0',
      'x-cloudtasks-taskexecutioncount': '0',
    });
    expect(Number(request?.headers['x-cloudtasks-tasketa'])).toBeCloseTo((finished.attempts[0]?.scheduleTimeMs ?? 0) / 1000, 3);
    expect(request?.headers['x-cloudtasks-taskpreviousresponse']).toBeUndefined();
    expect(request?.headers.authorization).toBeUndefined();
    expect(await grpcCodeOf(client.getTask({ name }))).toBe(grpc.status.NOT_FOUND);
  });

  it('when a body has no Content-Type, then it is sent as application/octet-stream with POST by default', async () => {
    const queue = newQueue();
    const p = path('octet');
    await createTask(queue, { httpRequest: { url: `${target.url}${p}`, body: Buffer.from([1, 2, 3]) } });
    const [request] = await target.waitForRequests(1, fromPath(p));
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/octet-stream');
    expect([...(request?.body ?? [])]).toEqual([1, 2, 3]);
  });

  it('when the handler fails once, then the retry carries retry/execution counts and the previous response', async () => {
    const queue = newQueue();
    const p = path('flaky');
    let calls = 0;
    target.respondWith((_req, res) => {
      calls += 1;
      res.writeHead(calls === 1 ? 503 : 204).end();
    });
    const name = await createTask(queue, { httpRequest: { url: `${target.url}${p}` } });
    const finished = await emulator.tasks.waitForTask(name);
    expect(finished.status).toBe('succeeded');
    expect(finished.attempts.map((a) => a.httpStatus)).toEqual([503, 204]);
    expect(finished.responseCount).toBe(2);
    const requests = await target.waitForRequests(2, fromPath(p));
    expect(requests[1]?.headers).toMatchObject({
      'x-cloudtasks-taskretrycount': '1',
      'x-cloudtasks-taskexecutioncount': '1',
      'x-cloudtasks-taskpreviousresponse': '503',
    });
  });

  it('when the handler is slower than dispatchDeadline, then the attempt fails with DEADLINE_EXCEEDED and is retried', async () => {
    const queue = newQueue();
    const p = path('slow');
    let calls = 0;
    target.respondWith(async (_req, res) => {
      calls += 1;
      // 15 s deadline = 150 ms real; the first answer comes after 600 ms real (60 s emulated).
      if (calls === 1) await sleep(600);
      if (!res.destroyed) res.writeHead(200).end();
    });
    const name = await createTask(queue, { httpRequest: { url: `${target.url}${p}` }, dispatchDeadline: { seconds: 15 } });
    const finished = await emulator.tasks.waitForTask(name);
    expect(finished.status).toBe('succeeded');
    expect(finished.attempts[0]).toMatchObject({ rpcCode: grpc.status.DEADLINE_EXCEEDED, httpStatus: null });
    expect(finished.attempts[1]).toMatchObject({ rpcCode: 0, httpStatus: 200 });
    expect(finished.responseCount).toBe(1);
    const requests = await target.waitForRequests(2, fromPath(p));
    expect(requests[1]?.headers['x-cloudtasks-taskexecutioncount']).toBe('0');
    expect(requests[1]?.headers['x-cloudtasks-taskpreviousresponse']).toBeUndefined();
  });

  it('when dispatchDeadline is outside 15 s to 30 min, then CreateTask fails with INVALID_ARGUMENT; unset means 10 min', async () => {
    const queue = newQueue();
    const url = `${target.url}${path('deadline')}`;
    expect(await grpcCodeOf(createTask(queue, { httpRequest: { url }, dispatchDeadline: { seconds: 14 } }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect(await grpcCodeOf(createTask(queue, { httpRequest: { url }, dispatchDeadline: { seconds: 1801 } }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    await client.pauseQueue({ name: queue });
    const [task] = await client.createTask({ parent: queue, task: { httpRequest: { url } } });
    expect(task.dispatchDeadline).toMatchObject({ seconds: '600' });
  });

  it('when the task is invalid, then CreateTask fails with INVALID_ARGUMENT, or NOT_FOUND for a missing queue', async () => {
    const queue = newQueue();
    const url = `${target.url}${path('invalid')}`;
    const code = (task: Record<string, unknown>): Promise<number | undefined> => grpcCodeOf(createTask(queue, task));
    expect(await code({ name: `${queue}/tasks/has space`, httpRequest: { url } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ name: `${queue}/tasks/dot.ted`, httpRequest: { url } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ name: `${queue}/tasks/${'a'.repeat(501)}`, httpRequest: { url } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ name: `${queue}-other/tasks/ok`, httpRequest: { url } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ httpRequest: { url: 'ftp://example.com/x' } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ httpRequest: { url, httpMethod: 'GET', body: Buffer.from('x') } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ httpRequest: { url, oidcToken: { audience: 'x' } } })).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await code({ httpRequest: { url }, scheduleTime: { seconds: Math.floor(emulator.clock.now() / 1000) + 31 * 86_400 } })).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect(await grpcCodeOf(client.createTask({ parent: `${queue}-missing`, task: { httpRequest: { url } } }))).toBe(grpc.status.NOT_FOUND);
    const [okay] = await client.createTask({ parent: queue, task: { name: `${queue}/tasks/Valid_id-1`, httpRequest: { url } } });
    expect(okay.name).toBe(`${queue}/tasks/Valid_id-1`);
  });

  it('when a task name is live, recently finished or recently deleted, then CreateTask fails with ALREADY_EXISTS until the window passes', async () => {
    const queue = newQueue();
    const url = `${target.url}${path('dedupe')}`;
    const later = { seconds: Math.floor(emulator.clock.now() / 1000) + 3600 };
    const live = `${queue}/tasks/live`;
    await createTask(queue, { name: live, httpRequest: { url }, scheduleTime: later });
    expect(await grpcCodeOf(createTask(queue, { name: live, httpRequest: { url } }))).toBe(grpc.status.ALREADY_EXISTS);

    await client.deleteTask({ name: live });
    expect(await grpcCodeOf(createTask(queue, { name: live, httpRequest: { url } }))).toBe(grpc.status.ALREADY_EXISTS);

    const done = `${queue}/tasks/done`;
    await createTask(queue, { name: done, httpRequest: { url } });
    await emulator.tasks.waitForTask(done);
    expect(await grpcCodeOf(createTask(queue, { name: done, httpRequest: { url } }))).toBe(grpc.status.ALREADY_EXISTS);

    // The dedupe window is 60 s emulated = 600 ms real.
    await sleep((DEDUPE_WINDOW_MS / TIME_SCALE) * 1.2);
    expect(await createTask(queue, { name: done, httpRequest: { url } })).toBe(done);
    expect(await createTask(queue, { name: live, httpRequest: { url }, scheduleTime: later })).toBe(live);
  });

  it('when the handler keeps failing, then the task is dropped after max_attempts', async () => {
    const queue = newQueue({ retryConfig: { maxAttempts: 3, minBackoff: { seconds: 1 }, maxBackoff: { seconds: 1 } } });
    const p = path('always-fails');
    target.respondWith(respondStatus(500));
    const name = await createTask(queue, { httpRequest: { url: `${target.url}${p}` } });
    const finished = await emulator.tasks.waitForTask(name);
    expect(finished.status).toBe('failed');
    expect(finished.dispatchCount).toBe(3);
    expect(finished.lastResponseStatus).toBe(500);
    expect(target.requests.filter(fromPath(p))).toHaveLength(3);
    expect(await grpcCodeOf(client.getTask({ name }))).toBe(grpc.status.NOT_FOUND);
  });

  it('when a queue is paused, then nothing is dispatched until it is resumed', async () => {
    const queue = newQueue();
    const p = path('paused');
    await client.pauseQueue({ name: queue });
    const name = await createTask(queue, { httpRequest: { url: `${target.url}${p}` } });
    await sleep(300); // 30 s emulated
    expect(target.requests.filter(fromPath(p))).toHaveLength(0);
    const [waiting] = await client.getTask({ name });
    expect(waiting.dispatchCount).toBe(0);

    await client.resumeQueue({ name: queue });
    expect((await emulator.tasks.waitForTask(name)).status).toBe('succeeded');
    expect(target.requests.filter(fromPath(p))).toHaveLength(1);
  });

  it('when a task is scheduled in the future, then it is not dispatched before its schedule time', async () => {
    const queue = newQueue();
    const p = path('scheduled');
    const scheduleMs = Math.ceil(emulator.clock.now() / 1000) * 1000 + 30_000;
    const name = await createTask(queue, {
      httpRequest: { url: `${target.url}${p}` },
      scheduleTime: { seconds: scheduleMs / 1000 },
    });
    const finished = await emulator.tasks.waitForTask(name);
    expect(finished.attempts[0]?.dispatchTimeMs).toBeGreaterThanOrEqual(scheduleMs);
    const [request] = await target.waitForRequests(1, fromPath(p));
    expect(Number(request?.headers['x-cloudtasks-tasketa'])).toBe(scheduleMs / 1000);
  });

  it('when RunTask is called on a paused queue for a future task, then it is dispatched at once and returned as dispatched', async () => {
    const queue = newQueue();
    const p = path('run-now');
    await client.pauseQueue({ name: queue });
    const name = await createTask(queue, {
      httpRequest: { url: `${target.url}${p}` },
      scheduleTime: { seconds: Math.floor(emulator.clock.now() / 1000) + 86_400 },
    });
    const [ran] = await client.runTask({ name });
    expect(ran.dispatchCount).toBe(1);
    expect(ran.lastAttempt?.dispatchTime).toBeTruthy();
    expect((await emulator.tasks.waitForTask(name)).status).toBe('succeeded');
    expect(target.requests.filter(fromPath(p))).toHaveLength(1);
    expect(await grpcCodeOf(client.runTask({ name }))).toBe(grpc.status.NOT_FOUND);
  });

  it('when a queue is purged, then all its tasks are deleted and never dispatched', async () => {
    const queue = newQueue();
    const p = path('purged');
    await client.pauseQueue({ name: queue });
    const names = await Promise.all([1, 2, 3].map(() => createTask(queue, { httpRequest: { url: `${target.url}${p}` } })));
    const [listed] = await client.listTasks({ parent: queue });
    expect(listed).toHaveLength(3);

    const [purged] = await client.purgeQueue({ name: queue });
    expect(purged.purgeTime).toBeTruthy();
    const [afterPurge] = await client.listTasks({ parent: queue });
    expect(afterPurge).toHaveLength(0);
    await client.resumeQueue({ name: queue });
    await sleep(100);
    expect(target.requests.filter(fromPath(p))).toHaveLength(0);
    expect(names.map((n) => emulator.tasks.get(n)?.status)).toEqual(['purged', 'purged', 'purged']);
  });

  it('when max_concurrent_dispatches is 2, then at most 2 slow handlers run at the same time', async () => {
    const queue = newQueue({ rateLimits: { maxConcurrentDispatches: 2 } });
    const p = path('concurrency');
    let running = 0;
    let maxRunning = 0;
    target.respondWith(async (_req, res) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await sleep(80);
      running -= 1;
      res.writeHead(200).end();
    });
    const names = await Promise.all(Array.from({ length: 6 }, () => createTask(queue, { httpRequest: { url: `${target.url}${p}` } })));
    await Promise.all(names.map((name) => emulator.tasks.waitForTask(name)));
    expect(maxRunning).toBe(2);
    expect(target.requests.filter(fromPath(p))).toHaveLength(6);
  });

  it('when tasks are read with the BASIC view, then the body is omitted; FULL includes it', async () => {
    const queue = newQueue();
    await client.pauseQueue({ name: queue });
    const name = await createTask(queue, { httpRequest: { url: `${target.url}${path('views')}`, body: Buffer.from('secret-body') } });
    const [basic] = await client.getTask({ name });
    expect(basic.view).toBe('BASIC');
    expect(basic.httpRequest?.body?.length ?? 0).toBe(0);
    const [full] = await client.getTask({ name, responseView: 'FULL' });
    expect(Buffer.from(full.httpRequest?.body ?? []).toString()).toBe('secret-body');
    const [listed] = await client.listTasks({ parent: queue, responseView: 'FULL' });
    expect(listed.map((t) => t.name)).toEqual([name]);
  });
});
