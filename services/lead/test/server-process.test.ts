/**
 * The lead service's real entry point (src/server.ts) in its own process, configured only by
 * environment variables as Cloud Run (and tools/dev/src/local-stack) configure it, against the
 * local stand-ins: Firestore, Cloud Tasks + OIDC (cloud emulator), OpenAI and SES.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreThreadStore } from '@lead-intake/shared';
import { startCloudEmulator, type CloudEmulator } from '@lead-intake/dev-tools/cloud-emulator/index';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import { readStore } from '@lead-intake/dev-tools/ses/start-ses';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import {
  getOnFreshConnection,
  startServiceProcess,
  waitForHealth,
  type ServiceProcess,
} from '@lead-intake/dev-tools/testing/service-process';
import { SENDER, SHOP_INBOX, SITE_ORIGIN, TASKS_SA, waitFor } from './harness.js';
import { seedLeadThread } from './support/lead-thread.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const firestoreInfo = useProvided('firestore');
const sesInfo = useProvided('ses');
const firestore = localFirestoreClient(firestoreInfo);
const threadsCollection = `chat_proc_${randomUUID().slice(0, 8)}`;
const threads = new FirestoreThreadStore(firestore, { collection: threadsCollection, retentionMs: 86_400_000 });

let stub: OpenAIStub;
let cloud: CloudEmulator;
let queue: string;
const running: ServiceProcess[] = [];
beforeAll(async () => {
  stub = await startOpenAIStub({ port: 0, fixtures: false });
  cloud = await startCloudEmulator({ projectId: firestoreInfo.projectId, location: 'us-west1' });
  queue = cloud.tasks.ensureQueue(`lead-proc-${randomUUID().slice(0, 8)}`, {
    retryConfig: { maxAttempts: 4, minBackoff: { nanos: 100_000_000 }, maxBackoff: { seconds: 1 }, maxDoublings: 2 },
  });
});
afterAll(async () => {
  for (const service of running) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await Promise.allSettled([stub.close(), cloud.close(), firestore.terminate()]);
});

/** The service as local-stack starts it: every variable from the environment, the secret too. */
async function startLeadProcess(): Promise<ServiceProcess> {
  const service = await startServiceProcess(serviceDir, (port) => ({
    LOG_LEVEL: 'info',
    GOOGLE_CLOUD_PROJECT: firestoreInfo.projectId,
    FIRESTORE_EMULATOR_HOST: firestoreInfo.hostPort,
    ALLOWED_ORIGINS: SITE_ORIGIN,
    OPENAI_API_KEY: 'sk-test-lead-process',
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_MAX_RETRIES: '0',
    FIRESTORE_COLLECTION: `leads_proc_${randomUUID().slice(0, 8)}`,
    CHAT_THREADS_COLLECTION: threadsCollection,
    CLOUD_TASKS_EMULATOR_HOST: `${cloud.grpcEndpoint.host}:${cloud.grpcEndpoint.port}`,
    CLOUD_TASKS_QUEUE: queue,
    TASK_SERVICE_ACCOUNT_EMAIL: TASKS_SA,
    OIDC_CERTS_URL: cloud.oidc.pemCertsUrl,
    OIDC_ISSUERS: cloud.oidc.issuer,
    LEAD_SAFETY_NET_DELAY_SECONDS: '3600',
    SES_ENDPOINT: sesInfo.endpoint,
    LEAD_TO_EMAIL: SHOP_INBOX,
    LEAD_FROM_EMAIL: SENDER,
    TASK_HANDLER_URL: `http://127.0.0.1:${port}/tasks/lead`,
  }));
  running.push(service);
  return service;
}

const seedLead = (): Promise<string> => seedLeadThread(threads, 'proc');

const trigger = (service: ServiceProcess, threadId: string) =>
  fetch(`${service.url}/api/chatkit/lead`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: SITE_ORIGIN },
    body: JSON.stringify({ threadId, reason: 'idle', locale: 'en' }),
  });

const emailsFor = async (threadId: string) =>
  (await readStore(sesInfo.endpoint)).filter((email) => email.subject.includes(`(${threadId})`));

/** The thread's evaluation task (not its far-off safety net), once Cloud Tasks is done with it. */
const finishedEvaluation = (service: ServiceProcess) =>
  waitFor(
    async () => cloud.tasks.finished(queue).find((task) => task.url === `${service.url}/tasks/lead` && task.name.includes('/tasks/lead-')),
    15_000,
    'the evaluation task to finish',
  );

const errorLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { severity?: string; message?: string })
    .filter((entry) => ['ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'].includes(entry.severity ?? ''));

describe('the lead service process (src/server.ts)', () => {
  it('when started by env on the stand-ins, then /health answers, an idle trigger is queued and its task emails the shop once, and SIGTERM exits 0 with no ERROR line', async () => {
    const service = await startLeadProcess();
    await waitForHealth(service);
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });

    const threadId = await seedLead();
    const response = await trigger(service, threadId);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, sent: false, reason: 'queued' });

    const task = await finishedEvaluation(service);
    expect(task.status).toBe('succeeded');
    expect(task.attempts.at(-1)?.httpStatus).toBe(200);
    const emails = await emailsFor(threadId);
    expect(emails).toHaveLength(1);
    expect(emails[0]?.destination.to).toEqual([SHOP_INBOX]);
    expect(
      stub.requests.filter((request) => request.route === 'POST /v1/responses' && JSON.stringify(request.body).includes(threadId)),
    ).toHaveLength(1);

    service.child.kill('SIGTERM');
    const [code] = await service.exited;
    expect(code).toBe(0);
    expect(service.output()).toContain('lead service listening');
    expect(errorLines(service.output())).toEqual([]);
  });

  it('when SIGTERM arrives while a lead task is running, then the task finishes (one email, 200 to Cloud Tasks), new connections are refused and the process exits 0', async () => {
    const service = await startLeadProcess();
    await waitForHealth(service);
    const threadId = await seedLead();
    // The summary takes 2 s: the task is still running when SIGTERM arrives.
    stub.injectFault({ route: 'POST /v1/responses', kind: 'delay', ms: 2000 });
    const before = stub.requests.length;
    expect((await trigger(service, threadId)).status).toBe(200);
    await waitFor(
      async () => stub.requests.slice(before).some((request) => request.route === 'POST /v1/responses'),
      10_000,
      'the summary request',
    );

    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(getOnFreshConnection(service.port)).rejects.toThrow();

    const [code] = await service.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(service.output()).toContain('draining in-flight requests');
    const task = await finishedEvaluation(service);
    expect(task.attempts.map((attempt) => attempt.httpStatus)).toEqual([200]);
    expect(await emailsFor(threadId)).toHaveLength(1);
  });

  it('when the configuration is invalid, then the process exits 1 naming every bad variable, without a stack trace', async () => {
    const service = await startServiceProcess(serviceDir, {
      ALLOWED_ORIGINS: 'not-an-origin',
      RATE_LIMIT_PER_MINUTE: 'thirty',
      LEAD_TO_EMAIL: 'nobody',
    });
    running.push(service);
    const [code] = await service.exited;
    expect(code).toBe(1);
    for (const variable of ['ALLOWED_ORIGINS', 'RATE_LIMIT_PER_MINUTE', 'LEAD_TO_EMAIL', 'TASK_HANDLER_URL', 'LEAD_FROM_EMAIL']) {
      expect(service.output()).toContain(variable);
    }
    expect(service.output()).not.toMatch(/\n\s+at /);
  });
});
