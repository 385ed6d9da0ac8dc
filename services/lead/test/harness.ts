import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import {
  createHttpServer,
  createLogger,
  defaultShopProfilePath,
  FirestoreThreadStore,
  loadShopProfile,
  type ThreadStore,
} from '@lead-intake/shared';
import { startCloudEmulator, type CloudEmulator } from '@lead-intake/dev-tools/cloud-emulator/index';
import {
  appendItems,
  seedThread,
  withThreadId,
  type ConversationFixture,
  type ItemDraft,
  type SeedableThread,
} from '@lead-intake/dev-tools/fixtures/index';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import { readStore, type SesStoredEmail } from '@lead-intake/dev-tools/ses/start-ses';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { LogCapture } from '@lead-intake/dev-tools/testing/log-capture';
import { createSesClient } from '../src/adapters/ses-mailer.js';
import { createApp, type AppDeps } from '../src/app.js';
import { loadConfig, type LeadConfig } from '../src/config.js';
import { stateOf, type LeadRecord, type LeadState } from '../src/domain/lead-record.js';
import type { Mailer, Summarizer } from '../src/ports.js';
import { buildAppDeps, cloudTasksClient, leadRecordStore, openAIClient, sesMailer } from '../src/wiring.js';

export const SITE_ORIGIN = 'https://shop.example';
export const TASKS_SA = 'lead-tasks@local-project.iam.gserviceaccount.com';
export const SHOP_INBOX = 'shop@rosewood.example';
export const SENDER = 'leads@rosewood.example';
/** An operator's page for a thread, as CONVERSATION_URL_TEMPLATE names it in production. */
export const CONVERSATION_URL_TEMPLATE =
  'https://console.cloud.google.com/firestore/databases/-default-/data/panel/chatThreads/{threadId}?project=demo-lead-intake';

export interface LeadEnvOptions {
  autoDelaySeconds?: number;
  safetyNetDelaySeconds?: number;
  taskMaxAttempts?: number;
  leaseSeconds?: number;
  followUpWindowSeconds?: number;
  /** Wraps the real summarizer, e.g. to count calls. */
  wrapSummarizer?: (summarizer: Summarizer) => Summarizer;
  /** Wraps the real SES mailer, e.g. to act right after SES accepted an email. */
  wrapMailer?: (mailer: Mailer) => Mailer;
  /** Wraps the Firestore client the lead records use (not the thread store's), e.g. to fail some calls. */
  wrapLeaseFirestore?: (firestore: Firestore) => Firestore;
  /** SesMailer attempts per send (default 1: every failure is a Cloud Tasks retry the tests can see). */
  sesAttempts?: number;
  overrides?: Partial<AppDeps>;
}

export interface LeadEnv {
  /** The local SES endpoint (where mail lands; `/__ses/faults` there). */
  sesEndpoint: string;
  url: string;
  handlerUrl: string;
  /** `/tasks/trigger` (its URL is also its OIDC audience). */
  triggerUrl: string;
  /** The summary (POST /v1/responses) only: threads live in Firestore. */
  stub: OpenAIStub;
  /** This env's ChatKit thread store (the real Firestore adapter, a collection of its own). */
  threads: ThreadStore;
  threadsCollection: string;
  /** Stores the thread (owner anon_fixture_owner) and returns its id. */
  seed(thread: SeedableThread): Promise<string>;
  /**
   * Stores a conversation fixture, under `cthr_fixture_<name>_<scenario>_…` when a scenario is
   * given (its own record and emails), else under its own id; its summary overrides go to the stub.
   */
  seedFixture(fixture: ConversationFixture, scenario?: string): Promise<string>;
  /** Appends items to a stored thread, as the session service would. */
  append(threadId: string, items: readonly ItemDraft[]): Promise<void>;
  cloud: CloudEmulator;
  queue: string;
  collection: string;
  firestore: Firestore;
  logs: LogCapture;
  /** Log lines as objects. */
  logEntries(): Array<Record<string, unknown>>;
  /** Destroys every connection to the lead service, as its process dying would. */
  dropConnections(): void;
  summaryCalls: () => number;
  trigger(body: unknown, init?: { headers?: Record<string, string>; contentType?: string }): Promise<Response>;
  record(threadId: string): Promise<LeadRecord | null>;
  /** The record's state in one word (`stateOf`), null without a record. */
  state(threadId: string): Promise<LeadState | null>;
  /** Emails in local SES whose subject names the thread. */
  emailsFor(threadId: string): Promise<SesStoredEmail[]>;
  /** Resolves when no task of this test's queue is due soon (the far-off safety nets are ignored). */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The lead service wired as in production (real adapters, real client libraries) against the
 * local stand-ins: OpenAI stub (the summary), cloud emulator (Cloud Tasks + OIDC), Firestore
 * (lead records, and the ChatKit threads the tests seed through the real thread store) and SES.
 */
export async function startLeadEnv(options: LeadEnvOptions = {}): Promise<LeadEnv> {
  const firestoreInfo = useProvided('firestore');
  const sesInfo = useProvided('ses');
  // No stand-in threads: the fixtures' summary overrides are put per seeded thread.
  const stub = await startOpenAIStub({ port: 0, fixtures: false });
  const cloud = await startCloudEmulator({ projectId: 'local-project', location: 'us-west1' });
  const maxAttempts = options.taskMaxAttempts ?? 4;
  const queue = cloud.tasks.ensureQueue(`leads-${randomUUID().slice(0, 8)}`, {
    retryConfig: { maxAttempts, minBackoff: { nanos: 50_000_000 }, maxBackoff: { nanos: 200_000_000 }, maxDoublings: 2 },
  });
  const collection = `leads_${randomUUID().slice(0, 8)}`;
  const threadsCollection = `chat_${randomUUID().slice(0, 8)}`;
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', service: 'lead-test' }, logs);
  const shop = await loadShopProfile(defaultShopProfilePath);

  // The server the service runs on (startServer's), so protocol-level refusals are tested too.
  const server: Server = createHttpServer(undefined, logger);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const handlerUrl = `${url}/tasks/lead`;
  const triggerUrl = `${url}/tasks/trigger`;

  // Configured as in production (the service's variables, parsed by its schema), on the stand-ins.
  const config: LeadConfig = {
    ...loadConfig({
      GOOGLE_CLOUD_PROJECT: 'local-project',
      ALLOWED_ORIGINS: SITE_ORIGIN,
      RATE_LIMIT_PER_MINUTE: '1000',
      TRUST_PROXY: '2',
      OPENAI_API_KEY: 'sk-test-lead',
      OPENAI_BASE_URL: stub.baseURL,
      OPENAI_TIMEOUT_MS: '5000',
      OPENAI_MAX_RETRIES: '0',
      LEAD_SUMMARY_MODEL: 'gpt-test',
      FIRESTORE_COLLECTION: collection,
      CHAT_THREADS_COLLECTION: threadsCollection,
      CLOUD_TASKS_QUEUE: queue,
      CLOUD_TASKS_EMULATOR_HOST: `${cloud.grpcEndpoint.host}:${cloud.grpcEndpoint.port}`,
      TASK_HANDLER_URL: handlerUrl,
      TASK_SERVICE_ACCOUNT_EMAIL: TASKS_SA,
      OIDC_CERTS_URL: cloud.oidc.pemCertsUrl,
      OIDC_ISSUERS: cloud.oidc.issuer,
      TASK_DISPATCH_DEADLINE_SECONDS: '30',
      TASK_MAX_ATTEMPTS: String(maxAttempts),
      LEAD_AUTO_DELAY_SECONDS: String(options.autoDelaySeconds ?? 0),
      LEAD_SAFETY_NET_DELAY_SECONDS: String(options.safetyNetDelaySeconds ?? 3600),
      LEAD_FOLLOW_UP_WINDOW_SECONDS: String(options.followUpWindowSeconds ?? 5),
      LEAD_COOLDOWN_SECONDS: '60',
      LEAD_RETENTION_DAYS: '30',
      SES_ENDPOINT: sesInfo.endpoint,
      LEAD_TO_EMAIL: SHOP_INBOX,
      LEAD_FROM_EMAIL: SENDER,
      SHOP_EMAIL_LANGUAGE: 'en',
      CONVERSATION_URL_TEMPLATE,
    }),
    // Shorter than production allows (LEAD_LEASE_SECONDS ≥ 10), so lease expiry is testable.
    LEAD_LEASE_SECONDS: options.leaseSeconds ?? 60,
  };
  const firestore = localFirestoreClient(firestoreInfo);
  const clients = {
    firestore,
    tasks: cloudTasksClient(config),
    openai: openAIClient(config, 'sk-test-lead'),
    // SES faults are injected in the local SES itself (`injectSesFaults(env.sesEndpoint, …)`).
    ses: createSesClient({ region: config.SES_REGION, endpoint: config.SES_ENDPOINT }),
  };
  const deps = buildAppDeps(config, clients, shop, logger);

  let calls = 0;
  const counted: Summarizer = {
    summarize: (input) => {
      calls += 1;
      return deps.summarizer.summarize(input);
    },
  };
  const mailer = sesMailer(clients.ses, config.SES_REGION, options.sesAttempts ?? 1);
  const records = options.wrapLeaseFirestore ? leadRecordStore(options.wrapLeaseFirestore(firestore), config) : deps.records;
  const threads = new FirestoreThreadStore(firestore, { collection: threadsCollection, retentionMs: 86_400_000 });

  const app = createApp({
    ...deps,
    records,
    summarizer: options.wrapSummarizer ? options.wrapSummarizer(counted) : counted,
    mailer: options.wrapMailer ? options.wrapMailer(mailer) : mailer,
    ...options.overrides,
  });
  server.on('request', app);

  const seed = async (thread: SeedableThread) => (await seedThread(threads, thread)).id;
  let copies = 0;

  return {
    sesEndpoint: sesInfo.endpoint,
    url,
    handlerUrl,
    triggerUrl,
    stub,
    threads,
    threadsCollection,
    seed,
    seedFixture: async (fixture, scenario) => {
      const id = scenario ? `${fixture.thread.id}_${scenario}_${Date.now().toString(36)}${(copies += 1)}` : fixture.thread.id;
      await seed(withThreadId(fixture, id));
      // The stand-in returns these fields when the summary prompt names the thread id.
      if (fixture.summary) stub.summaries.set(id, fixture.summary);
      return id;
    },
    append: async (threadId, items) => {
      await appendItems(threads, threadId, items);
    },
    cloud,
    queue,
    collection,
    firestore,
    logs,
    logEntries: () => logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    dropConnections: () => server.closeAllConnections(),
    summaryCalls: () => calls,
    trigger: (body, init = {}) =>
      fetch(`${url}/api/chatkit/lead`, {
        method: 'POST',
        headers: { 'content-type': init.contentType ?? 'application/json', origin: SITE_ORIGIN, ...init.headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    record: (threadId) => records.get(threadId),
    state: async (threadId) => {
      const record = await records.get(threadId);
      return record ? stateOf(record, Date.now()) : null;
    },
    emailsFor: async (threadId) => (await readStore(sesInfo.endpoint)).filter((email) => email.subject.includes(`(${threadId})`)),
    settle: async (timeoutMs = 10_000) => {
      const dueSoon = () => cloud.tasks.list(queue).filter((task) => task.scheduleTimeMs <= cloud.clock.now() + 60_000);
      await waitFor(async () => dueSoon().length === 0, timeoutMs, 'the queue to drain');
    },
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await Promise.allSettled([clients.tasks.close(), firestore.terminate(), stub.close()]);
      await cloud.close();
      clients.ses.destroy();
    },
  };
}
