import { randomUUID } from 'node:crypto';
import { CloudTasksClient } from '@google-cloud/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientOptions } from '@lead-intake/dev-tools/cloud-emulator/index';
import { startLeadEnv, TASKS_SA, waitFor, type LeadEnv } from './harness.js';
import { forgedToken } from './support/fakes.js';

let env: LeadEnv;
let tasks: CloudTasksClient;
beforeAll(async () => {
  env = await startLeadEnv();
  tasks = new CloudTasksClient(emulatorClientOptions(env.cloud));
});
afterAll(async () => {
  await tasks.close();
  await env.close();
});

const payload = (threadId: string) => ({ kind: 'evaluate', threadId, leaseId: randomUUID(), trigger: 'idle' });

/** Creates a real Cloud Task in the emulator aimed at the worker and returns its attempts' statuses. */
async function dispatchThroughCloudTasks(
  oidc: { serviceAccountEmail: string; audience: string },
  body: unknown = payload(`cthr_auth_${randomUUID().slice(0, 8)}`),
) {
  const [task] = await tasks.createTask({
    parent: env.queue,
    task: {
      httpRequest: {
        httpMethod: 'POST',
        url: env.handlerUrl,
        headers: { 'Content-Type': 'application/json' },
        body: Buffer.from(JSON.stringify(body)).toString('base64'),
        oidcToken: oidc,
      },
    },
  });
  const name = task.name ?? '';
  return waitFor(async () => {
    const snapshot = env.cloud.tasks.get(name) ?? env.cloud.tasks.finished(env.queue).find((t) => t.name === name);
    return (
      snapshot && snapshot.attempts.length > 0 && snapshot.attempts[0]?.httpStatus !== null && snapshot.attempts.map((a) => a.httpStatus)
    );
  });
}

describe('the task endpoint', () => {
  it('when the request has no token, then 401 and nothing runs', async () => {
    const response = await fetch(env.handlerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload('cthr_noauth')),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('when the token is forged, then 401', async () => {
    const response = await fetch(env.handlerUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${forgedToken(env.handlerUrl, TASKS_SA)}` },
      body: JSON.stringify(payload('cthr_forged')),
    });
    expect(response.status).toBe(401);
  });

  it('when Cloud Tasks signs for another audience, then the worker answers 401', async () => {
    const statuses = await dispatchThroughCloudTasks({ serviceAccountEmail: TASKS_SA, audience: 'https://other-service.example/tasks' });
    expect(statuses[0]).toBe(401);
  });

  it('when Cloud Tasks signs as another service account, then the worker answers 403', async () => {
    const statuses = await dispatchThroughCloudTasks({
      serviceAccountEmail: 'intruder@local-project.iam.gserviceaccount.com',
      audience: env.handlerUrl,
    });
    expect(statuses[0]).toBe(403);
  });

  it('when Cloud Tasks signs as our service account for our URL, then the worker accepts it (a stale lease answers 200)', async () => {
    const statuses = await dispatchThroughCloudTasks({ serviceAccountEmail: TASKS_SA, audience: env.handlerUrl });
    expect(statuses[0]).toBe(200);
  });

  it('when a valid task carries a malformed payload, then 400', async () => {
    const statuses = await dispatchThroughCloudTasks(
      { serviceAccountEmail: TASKS_SA, audience: env.handlerUrl },
      { kind: 'evaluate', threadId: 'nope' },
    );
    expect(statuses[0]).toBe(400);
  });
});
