import { CloudTasksClient } from '@google-cloud/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientOptions, startCloudEmulator, type CloudEmulator } from '@lead-intake/dev-tools/cloud-emulator/index';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { CloudTasksScheduler } from '../src/adapters/cloud-tasks-scheduler.js';
import { startLeadEnv, TASKS_SA, type LeadEnv } from './harness.js';

let env: LeadEnv;
let brokenCloud: CloudEmulator;
let client: CloudTasksClient;
beforeAll(async () => {
  brokenCloud = await startCloudEmulator({ projectId: 'local-project' });
  client = new CloudTasksClient(emulatorClientOptions(brokenCloud));
  env = await startLeadEnv({
    overrides: {
      // A queue that does not exist: every CreateTask fails with NOT_FOUND.
      tasks: new CloudTasksScheduler(client, {
        queue: 'projects/local-project/locations/us-west1/queues/does-not-exist',
        handlerUrl: 'http://127.0.0.1:9/tasks/lead',
        serviceAccountEmail: TASKS_SA,
        dispatchDeadlineSeconds: 30,
      }),
    },
  });
});
afterAll(async () => {
  await env.close();
  await client.close();
  await brokenCloud.close();
});

describe('when Cloud Tasks cannot take the task', () => {
  it('then the trigger answers 503 unavailable with Retry-After and the lease is released for the next trigger', async () => {
    const threadId = await env.seed(
      chatThread(`cthr_nosched_${Date.now().toString(36)}`, [userMessage('Torn seat, call me 650-555-0188'), assistantMessage('Sure!')]),
    );
    const response = await env.trigger({ threadId, reason: 'idle' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBeTruthy();
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unavailable');

    const record = await env.record(threadId);
    expect(record?.lease).toBeNull();
    expect(record?.lead).toBeNull();

    // Not `in_progress`: the next trigger may try again at once.
    const retry = await env.trigger({ threadId, reason: 'idle' });
    expect(retry.status).toBe(503);
    expect((await env.record(threadId))?.attempts).toBe(2);
  });
});
