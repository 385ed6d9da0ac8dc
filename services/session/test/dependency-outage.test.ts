/**
 * Item 1c: with Secret Manager, Firestore or Cloud Tasks down (refusing connections) or hanging
 * (accepting and never answering), the session service answers 503 + Retry-After within its
 * deadline where it needs the dependency, keeps chatting where it does not, and recovers by
 * itself. The real src/server.ts runs with its dependencies behind TCP fault proxies.
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudTasksClient } from '@lead-intake/shared';
import { startCloudEmulator, type CloudEmulator } from '@lead-intake/dev-tools/cloud-emulator/index';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { startServiceProcess, waitForHealth, type ServiceProcess } from '@lead-intake/dev-tools/testing/service-process';
import { startTcpFaultProxy, type DependencyState, type TcpFaultProxy } from '@lead-intake/dev-tools/testing/tcp-fault-proxy';
import { ChatKitTestClient, streamedText, userInput } from './chatkit-client.js';
import { TEST_KEYS } from './harness.js';

const DEADLINE_MS = 800;
/** Far below what the client libraries take on their own (41 s to minutes), with room for a busy CI machine. */
const ANSWERED_WITHIN_MS = 4_000;
const ORIGIN = 'http://localhost';
const TASKS_SA = 'session-tasks@local-project.iam.gserviceaccount.com';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const firestoreInfo = useProvided('firestore');

let stub: OpenAIStub;
let cloud: CloudEmulator;
let triggerQueue: string;
const proxies: TcpFaultProxy[] = [];
const running: ServiceProcess[] = [];
beforeAll(async () => {
  stub = await startOpenAIStub({ port: 0 });
  cloud = await startCloudEmulator({
    projectId: firestoreInfo.projectId,
    location: 'us-west1',
    seedSecrets: { OPENAI_API_KEY: 'sk-test-session-outage', VISITOR_TOKEN_KEYS: TEST_KEYS },
  });
  // A paused queue holds the trigger tasks: nothing is dispatched to the (absent) lead service.
  triggerQueue = cloud.tasks.ensureQueue(`triggers-outage-${randomUUID().slice(0, 8)}`);
  const admin = createCloudTasksClient({
    emulatorHost: `${cloud.grpcEndpoint.host}:${cloud.grpcEndpoint.port}`,
    projectId: firestoreInfo.projectId,
  });
  await admin.pauseQueue({ name: triggerQueue });
  await admin.close();
});
afterAll(async () => {
  for (const service of running) if (service.child.exitCode === null) service.child.kill('SIGKILL');
  await Promise.allSettled([...proxies.map((proxy) => proxy.close()), stub.close(), cloud.close()]);
});

async function proxy(target: { host: string; port: number }): Promise<TcpFaultProxy> {
  const started = await startTcpFaultProxy(target);
  proxies.push(started);
  return started;
}

/** The service with every secret from Secret Manager and every dependency behind `via`. */
async function startSession(via: { secrets: TcpFaultProxy; firestore: TcpFaultProxy; tasks: TcpFaultProxy }): Promise<ServiceProcess> {
  const service = await startServiceProcess(serviceDir, {
    LOG_LEVEL: 'info',
    GOOGLE_CLOUD_PROJECT: firestoreInfo.projectId,
    ALLOWED_ORIGINS: ORIGIN,
    RATE_LIMIT_PER_MINUTE: '10000',
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_MAX_RETRIES: '0',
    SECRET_MANAGER_EMULATOR_HOST: via.secrets.hostPort,
    SECRET_MANAGER_DEADLINE_MS: String(DEADLINE_MS),
    FIRESTORE_EMULATOR_HOST: via.firestore.hostPort,
    FIRESTORE_DEADLINE_MS: String(DEADLINE_MS),
    CHAT_THREADS_COLLECTION: `chat_outage_${randomUUID().slice(0, 8)}`,
    CLOUD_TASKS_EMULATOR_HOST: via.tasks.hostPort,
    CLOUD_TASKS_DEADLINE_MS: String(DEADLINE_MS),
    LEAD_TRIGGER_URL: 'http://127.0.0.1:9/tasks/trigger',
    LEAD_TRIGGER_QUEUE: triggerQueue,
    TASK_SERVICE_ACCOUNT_EMAIL: TASKS_SA,
  });
  running.push(service);
  await waitForHealth(service);
  return service;
}

async function timed(call: () => Promise<Response>): Promise<{ status: number; retryAfter: string | null; body: unknown; ms: number }> {
  const started = Date.now();
  const response = await call();
  const body: unknown = response.headers.get('content-type')?.startsWith('application/json')
    ? await response.json()
    : await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body, ms: Date.now() - started };
}

const mint = (service: ServiceProcess) => () =>
  fetch(`${service.url}/api/chatkit/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN },
    body: '{}',
  });

async function visitorOf(service: ServiceProcess): Promise<ChatKitTestClient> {
  const response = await mint(service)();
  if (response.status !== 200) throw new Error(`session mint failed: ${response.status} ${await response.text()}`);
  const session = (await response.json()) as { token: string; user: string };
  return new ChatKitTestClient(service.url, session.token, session.user, ORIGIN);
}

const unavailable = { status: 503, retryAfter: '5', body: { error: { code: 'unavailable' } } };

const waitFor = async (probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
};
const logShows = (service: ServiceProcess, from: number, text: string) =>
  waitFor(async () => service.output().slice(from).includes(text), 5_000, `the log to show "${text}"`);

describe.each<DependencyState>(['stopped', 'hanging'])('when Secret Manager is %s from the start', (state) => {
  it('then the service still starts, a session mint answers 503 with Retry-After within the deadline, and minting works once Secret Manager is back', async () => {
    const secrets = await proxy(cloud.grpcEndpoint);
    await secrets.set(state);
    const startedAt = Date.now();
    const service = await startSession({
      secrets,
      firestore: await proxy({ host: firestoreInfo.host, port: firestoreInfo.port }),
      tasks: await proxy(cloud.grpcEndpoint),
    });
    expect(Date.now() - startedAt).toBeLessThan(15_000);

    const answer = await timed(mint(service));
    expect(answer).toMatchObject(unavailable);
    expect(answer.ms).toBeLessThan(ANSWERED_WITHIN_MS);
    if (state === 'hanging') await logShows(service, 0, `Secret Manager did not answer within ${DEADLINE_MS} ms`);

    await secrets.set('up');
    await waitFor(async () => (await mint(service)()).status === 200, 30_000, 'a session mint to answer 200 again');
  }, 60_000);
});

describe('with the secrets loaded', () => {
  let service: ServiceProcess;
  let secrets: TcpFaultProxy;
  let firestore: TcpFaultProxy;
  let tasks: TcpFaultProxy;
  beforeAll(async () => {
    secrets = await proxy(cloud.grpcEndpoint);
    firestore = await proxy({ host: firestoreInfo.host, port: firestoreInfo.port });
    tasks = await proxy(cloud.grpcEndpoint);
    service = await startSession({ secrets, firestore, tasks });
  });

  it('when Secret Manager goes down later, then the cached secrets keep minting sessions and chatting', async () => {
    await secrets.set('hanging');
    const answer = await timed(mint(service));
    expect(answer.status).toBe(200);
    const turn = await (await visitorOf(service)).stream('threads.create', { input: userInput('Hello, my seat is torn') });
    expect(streamedText(turn.events).length).toBeGreaterThan(5);
    await secrets.set('up');
  });

  describe.each<DependencyState>(['stopped', 'hanging'])('when Firestore is %s', (state) => {
    it('then listing threads and starting one answer 503 with Retry-After within the deadline, and both work once Firestore is back', async () => {
      const visitor = await visitorOf(service);
      const logFrom = service.output().length;
      await firestore.set(state);

      const list = await timed(() => visitor.request('threads.list', { limit: 5 }));
      expect(list).toMatchObject(unavailable);
      expect(list.ms).toBeLessThan(ANSWERED_WITHIN_MS);
      const create = await timed(() => visitor.request('threads.create', { input: userInput('Hello?') }));
      expect(create).toMatchObject(unavailable);
      expect(create.ms).toBeLessThan(ANSWERED_WITHIN_MS);
      if (state === 'hanging') await logShows(service, logFrom, `Firestore did not answer within ${DEADLINE_MS} ms`);

      await firestore.set('up');
      await waitFor(
        async () => (await visitor.request('threads.list', { limit: 5 })).status === 200,
        30_000,
        'threads.list to answer 200 again',
      );
      const turn = await visitor.stream('threads.create', { input: userInput('Hello again') });
      expect(turn.events.some((event) => event.type === 'error')).toBe(false);
    });
  });

  // Hanging first: after a refused connection the channel backs off and fails fast by itself.
  describe.each<DependencyState>(['hanging', 'stopped'])('when Cloud Tasks is %s', (state) => {
    it('then the turn still streams and completes, and the log says the lead trigger could not be scheduled', async () => {
      const visitor = await visitorOf(service);
      const logFrom = service.output().length;
      await tasks.set(state);

      const turn = await visitor.stream('threads.create', { input: userInput('Hello, my seat is torn') });
      expect(turn.events.some((event) => event.type === 'error')).toBe(false);
      expect(streamedText(turn.events).length).toBeGreaterThan(5);
      await logShows(service, logFrom, 'lead trigger could not be scheduled');
      if (state === 'hanging') await logShows(service, logFrom, `Cloud Tasks did not answer within ${DEADLINE_MS} ms`);
      await tasks.set('up');
    });
  });
});
