import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator, QueueSnapshot, TaskSnapshot } from '../src/cloud-emulator/index.js';
import { CloudTasksClient } from '@google-cloud/tasks';
import { emulatorClientOptions } from '../src/cloud-emulator/index.js';
import { respondStatus, startRecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';
import type { RecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';

let emulator: CloudEmulator;
let client: CloudTasksClient;
let target: RecordingTarget;
let failingTask = '';
let pendingTask = '';

beforeAll(async () => {
  emulator = await startCloudEmulator({
    timeScale: 100,
    seedSecrets: { 'smtp-password': 'do-not-show-me' },
    queues: [
      { name: 'failing', retryConfig: { maxAttempts: 5, minBackoff: { seconds: 1 }, maxBackoff: { seconds: 3600 }, maxDoublings: 1 } },
      'held',
    ],
  });
  client = new CloudTasksClient(emulatorClientOptions(emulator));
  target = await startRecordingTarget(respondStatus(502));
  const failing = emulator.tasks.ensureQueue('failing');
  const held = emulator.tasks.ensureQueue('held');
  await client.pauseQueue({ name: held });
  [failingTask, pendingTask] = await Promise.all([
    client.createTask({ parent: failing, task: { httpRequest: { url: `${target.url}/fails` } } }).then(([t]) => t.name ?? ''),
    client
      .createTask({ parent: held, task: { name: `${held}/tasks/pending-1`, httpRequest: { url: `${target.url}/held` } } })
      .then(([t]) => t.name ?? ''),
  ]);
  // Attempts at 0, 1 s, 3 s emulated; then the next retry waits 4 s.
  await target.waitForRequests(3);
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
  await target?.close();
});

describe('inspection endpoints', () => {
  it('when /tasks.json is fetched, then queues list live tasks with attempts, next attempt time and last response status', async () => {
    const response = await fetch(`${emulator.httpUrl}/tasks.json`);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await response.json()) as { queues: QueueSnapshot[]; finished: TaskSnapshot[] };
    const failing = body.queues.find((q) => q.name.endsWith('/queues/failing'));
    const held = body.queues.find((q) => q.name.endsWith('/queues/held'));
    expect(held).toMatchObject({ state: 'PAUSED', tasks: [{ name: pendingTask, status: 'scheduled', dispatchCount: 0 }] });
    const task = failing?.tasks.find((t) => t.name === failingTask);
    expect(task?.lastResponseStatus).toBe(502);
    expect(task?.attempts.length).toBeGreaterThanOrEqual(3);
    expect(task?.attempts[0]).toMatchObject({ attempt: 1, httpStatus: 502 });
    if (task?.status === 'scheduled') expect(Date.parse(task.nextAttemptTime ?? '')).toBeGreaterThan(0);
    expect(failing?.retryConfig).toMatchObject({ maxAttempts: 5, minBackoffMs: 1000, maxDoublings: 1 });
  });

  it('when a task has finished, then /tasks.json lists it under finished with its outcome', async () => {
    const finished = await emulator.tasks.waitForTask(failingTask);
    expect(finished.status).toBe('failed');
    const body = (await (await fetch(`${emulator.httpUrl}/tasks.json`)).json()) as { finished: TaskSnapshot[] };
    expect(body.finished.find((t) => t.name === failingTask)).toMatchObject({ status: 'failed', dispatchCount: 5 });
  });

  it('when the HTML page is fetched, then it shows queues, tasks and secret names but no secret values', async () => {
    const response = await fetch(`${emulator.httpUrl}/`);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('queues/held');
    expect(html).toContain('pending-1');
    expect(html).toContain('projects/local-project/secrets/smtp-password');
    expect(html).not.toContain('do-not-show-me');
  });
});
