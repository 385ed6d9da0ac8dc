import OpenAI from 'openai';
import type { CloudTasksClient } from '@google-cloud/tasks';
import type { Logger } from 'pino';
import { FirestoreThreadStore, createCloudTasksClient, createFirestoreClient, type ShopProfile } from '@lead-intake/shared';
import { CloudTasksLeadTrigger, noLeadTrigger } from './adapters/cloud-tasks-lead-trigger.js';
import { AgentsSdkAgent } from './adapters/agents-sdk-agent.js';
import type { AppDeps } from './app.js';
import { triggerQueueName, type SessionConfig } from './config.js';
import { parseVisitorTokenKeys, type VisitorTokenKeys } from './adapters/visitor-token-keys.js';
import { JwtVisitorTokens } from './adapters/jwt-visitor-tokens.js';
import { ChatKitServer } from './use-cases/chat-server.js';

export interface SessionSecrets {
  get(): Promise<{ OPENAI_API_KEY: string; VISITOR_TOKEN_KEYS: string }>;
}

/** The composition root: real clients from the parsed config (server.ts and the process tests). */
export function buildAppDeps(
  config: SessionConfig,
  shop: ShopProfile,
  secrets: SessionSecrets,
  logger: Logger,
): { deps: AppDeps; close(): Promise<void> } {
  const openai = new OpenAI({
    apiKey: async () => (await secrets.get()).OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL ?? null,
    timeout: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });
  const firestore = createFirestoreClient(config.GOOGLE_CLOUD_PROJECT);
  const store = new FirestoreThreadStore(firestore, {
    collection: config.CHAT_THREADS_COLLECTION,
    retentionMs: config.CHAT_RETENTION_DAYS * 86_400_000,
    deadlineMs: config.FIRESTORE_DEADLINE_MS,
  });

  let tasks: CloudTasksClient | undefined;
  let leadTrigger = noLeadTrigger;
  if (config.LEAD_TRIGGER_URL && config.TASK_SERVICE_ACCOUNT_EMAIL) {
    tasks = createCloudTasksClient({ emulatorHost: config.CLOUD_TASKS_EMULATOR_HOST, projectId: config.GOOGLE_CLOUD_PROJECT });
    leadTrigger = new CloudTasksLeadTrigger(tasks, {
      queue: triggerQueueName(config),
      url: config.LEAD_TRIGGER_URL,
      serviceAccountEmail: config.TASK_SERVICE_ACCOUNT_EMAIL,
      deadlineMs: config.CLOUD_TASKS_DEADLINE_MS,
    });
  } else {
    logger.warn('LEAD_TRIGGER_URL is not set: turns do not trigger the lead pipeline server-side (browser triggers only)');
  }

  const chat = new ChatKitServer({
    store,
    agent: new AgentsSdkAgent(openai, {
      model: config.AGENT_MODEL,
      temperature: config.AGENT_TEMPERATURE,
      maxOutputTokens: config.AGENT_MAX_OUTPUT_TOKENS,
      streamIdleTimeoutMs: config.AGENT_STREAM_IDLE_TIMEOUT_MS,
    }),
    leadTrigger,
    shop,
    limits: {
      messagesPerMinutePerVisitor: config.LIMIT_MESSAGES_PER_MINUTE_PER_VISITOR,
      messagesPerMinutePerIp: config.LIMIT_MESSAGES_PER_MINUTE_PER_IP,
      maxInputChars: config.LIMIT_INPUT_CHARS,
      maxMessagesPerThread: config.LIMIT_MESSAGES_PER_THREAD,
      maxThreadsPerVisitorPerDay: config.LIMIT_THREADS_PER_VISITOR_PER_DAY,
    },
    historyItems: config.AGENT_HISTORY_ITEMS,
    historyChars: config.AGENT_HISTORY_CHARS,
    now: () => new Date(),
  });

  return {
    deps: {
      logger,
      projectId: config.GOOGLE_CLOUD_PROJECT,
      allowedOrigins: config.ALLOWED_ORIGINS,
      rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
      chatKitRateLimitPerMinute: config.CHATKIT_RATE_LIMIT_PER_MINUTE,
      trustProxy: config.TRUST_PROXY,
      trustedProxyRanges: config.TRUSTED_PROXY_RANGES,
      tokens: new JwtVisitorTokens(visitorKeys(secrets), {
        tokenTtlSeconds: config.VISITOR_TOKEN_TTL_SECONDS,
        proofTtlSeconds: proofTtlSeconds(config),
      }),
      proofTtlSeconds: proofTtlSeconds(config),
      chat,
      shop,
    },
    close: async () => {
      await Promise.allSettled([firestore.terminate(), tasks?.close()]);
    },
  };
}

/** A returning visitor keeps their identity as long as their conversations are kept. */
const proofTtlSeconds = (config: SessionConfig): number => config.CHAT_RETENTION_DAYS * 86_400;

/** Parsed once per secret value (the store refreshes the value; rotation needs no restart). */
export function visitorKeys(secrets: SessionSecrets): () => Promise<VisitorTokenKeys> {
  let cached: { raw: string; keys: VisitorTokenKeys } | undefined;
  return async () => {
    const raw = (await secrets.get()).VISITOR_TOKEN_KEYS;
    if (cached?.raw !== raw) cached = { raw, keys: await parseVisitorTokenKeys(raw) };
    return cached.keys;
  };
}
