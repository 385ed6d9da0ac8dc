import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { type ClientOptions } from 'openai';
import type { SESClient } from '@aws-sdk/client-ses';
import type { Firestore } from '@google-cloud/firestore';
import type { CloudTasksClient } from '@google-cloud/tasks';
import type { Logger } from 'pino';
import { FirestoreThreadStore, createCloudTasksClient, createFirestoreClient, type ShopProfile } from '@lead-intake/shared';
import { CloudTasksScheduler } from './adapters/cloud-tasks-scheduler.js';
import { FirestoreLeadRecordStore } from './adapters/firestore-lead-record-store.js';
import { OidcVerifier } from './adapters/oidc-verifier.js';
import { OpenAISummarizer } from './adapters/openai-summarizer.js';
import { createSesClient, SesMailer } from './adapters/ses-mailer.js';
import { ThreadStoreReader } from './adapters/thread-store-reader.js';
import type { AppDeps } from './app.js';
import {
  chatThreadStoreOptions,
  leadRecordStoreOptions,
  leadTaskAudience,
  queueName,
  triggerTaskAudiences,
  type LeadConfig,
} from './config.js';

/**
 * The composition root: the lead service's adapters from the parsed config. server.ts builds the
 * whole app from it, the ops CLI the few adapters a command needs, the test harness the app over
 * the local stand-ins' clients.
 */

/** The clients the lead service talks through. */
export interface LeadClients {
  firestore: Firestore;
  tasks: CloudTasksClient;
  ses: SESClient;
  openai: OpenAI;
}

export interface LeadSecrets {
  get(): Promise<{ OPENAI_API_KEY: string }>;
}

/** SesMailer retries in-process only what proves SES took nothing (throttling, 5xx, unreachable). */
const SES_SEND_ATTEMPTS = 3;

/** Production clients (the emulators when their variables are set); `close` ends them all. */
export function createLeadClients(config: LeadConfig, secrets: LeadSecrets): LeadClients & { close(): Promise<void> } {
  const clients: LeadClients = {
    firestore: createFirestoreClient(config.GOOGLE_CLOUD_PROJECT),
    tasks: cloudTasksClient(config),
    ses: createSesClient({ region: config.SES_REGION, endpoint: config.SES_ENDPOINT }),
    openai: openAIClient(config, async () => (await secrets.get()).OPENAI_API_KEY),
  };
  return {
    ...clients,
    close: async () => {
      await Promise.allSettled([clients.firestore.terminate(), clients.tasks.close()]);
      clients.ses.destroy();
    },
  };
}

export const cloudTasksClient = (config: Pick<LeadConfig, 'CLOUD_TASKS_EMULATOR_HOST' | 'GOOGLE_CLOUD_PROJECT'>): CloudTasksClient =>
  createCloudTasksClient({ emulatorHost: config.CLOUD_TASKS_EMULATOR_HOST, projectId: config.GOOGLE_CLOUD_PROJECT });

/** OpenAI writes the lead summary only; the threads are ours, in Firestore. */
export const openAIClient = (
  config: Pick<LeadConfig, 'OPENAI_BASE_URL' | 'OPENAI_TIMEOUT_MS' | 'OPENAI_MAX_RETRIES'>,
  apiKey: NonNullable<ClientOptions['apiKey']>,
): OpenAI =>
  new OpenAI({ apiKey, baseURL: config.OPENAI_BASE_URL ?? null, timeout: config.OPENAI_TIMEOUT_MS, maxRetries: config.OPENAI_MAX_RETRIES });

export const leadRecordStore = (firestore: Firestore, config: Parameters<typeof leadRecordStoreOptions>[0]): FirestoreLeadRecordStore =>
  new FirestoreLeadRecordStore(firestore, leadRecordStoreOptions(config));

/** The session service's thread store, read-only. */
export const threadReader = (firestore: Firestore, config: Parameters<typeof chatThreadStoreOptions>[0]): ThreadStoreReader =>
  new ThreadStoreReader(new FirestoreThreadStore(firestore, chatThreadStoreOptions(config)));

/** The lead task scheduler; the ops CLI's resend passes the subset of the config it parses. */
export const taskScheduler = (
  tasks: CloudTasksClient,
  config: Pick<
    LeadConfig,
    | 'CLOUD_TASKS_QUEUE'
    | 'GOOGLE_CLOUD_PROJECT'
    | 'CLOUD_TASKS_LOCATION'
    | 'TASK_HANDLER_URL'
    | 'TASK_SERVICE_ACCOUNT_EMAIL'
    | 'TASK_AUDIENCE'
    | 'TASK_DISPATCH_DEADLINE_SECONDS'
    | 'CLOUD_TASKS_DEADLINE_MS'
  >,
): CloudTasksScheduler =>
  new CloudTasksScheduler(tasks, {
    queue: queueName(config),
    handlerUrl: config.TASK_HANDLER_URL,
    serviceAccountEmail: config.TASK_SERVICE_ACCOUNT_EMAIL,
    audience: config.TASK_AUDIENCE,
    dispatchDeadlineSeconds: config.TASK_DISPATCH_DEADLINE_SECONDS,
    deadlineMs: config.CLOUD_TASKS_DEADLINE_MS,
  });

export const summarizer = (openai: OpenAI, config: Pick<LeadConfig, 'LEAD_SUMMARY_MODEL'>): OpenAISummarizer =>
  new OpenAISummarizer(openai, config.LEAD_SUMMARY_MODEL);

export const sesMailer = (ses: SESClient, region: string, attempts = SES_SEND_ATTEMPTS): SesMailer =>
  new SesMailer(ses, { attempts, region });

/** /tasks/lead and /tasks/trigger: the same tasks service account and token verification, each its own audience. */
function taskVerifiers(config: LeadConfig): Pick<AppDeps, 'verifier' | 'triggerVerifier'> {
  const oidc = {
    serviceAccountEmail: config.TASK_SERVICE_ACCOUNT_EMAIL,
    certsUrl: config.OIDC_CERTS_URL,
    issuers: config.OIDC_ISSUERS?.split(',')
      .map((issuer) => issuer.trim())
      .filter(Boolean),
  };
  return {
    verifier: new OidcVerifier({ ...oidc, audience: leadTaskAudience(config) }),
    triggerVerifier: new OidcVerifier({ ...oidc, audience: triggerTaskAudiences(config) }),
  };
}

/** Everything createApp needs, from the config and the clients. */
export function buildAppDeps(config: LeadConfig, clients: LeadClients, shop: ShopProfile, logger: Logger): AppDeps {
  return {
    logger,
    projectId: config.GOOGLE_CLOUD_PROJECT,
    allowedOrigins: config.ALLOWED_ORIGINS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    records: leadRecordStore(clients.firestore, config),
    tasks: taskScheduler(clients.tasks, config),
    safetyNetDelaySeconds: config.LEAD_SAFETY_NET_DELAY_SECONDS,
    newLeaseId: randomUUID,
    now: Date.now,
    sleep: (ms) => sleep(ms),
    threads: threadReader(clients.firestore, config),
    summarizer: summarizer(clients.openai, config),
    mailer: sesMailer(clients.ses, config.SES_REGION),
    shop,
    mail: {
      from: config.LEAD_FROM_EMAIL,
      to: config.LEAD_TO_EMAIL,
      shopLanguage: config.SHOP_EMAIL_LANGUAGE,
      visitorRecap: config.VISITOR_RECAP_ENABLED,
      conversationUrlTemplate: config.CONVERSATION_URL_TEMPLATE,
    },
    ...taskVerifiers(config),
    taskMaxAttempts: config.TASK_MAX_ATTEMPTS,
  };
}
