import OpenAI from 'openai';
import type { Firestore } from '@google-cloud/firestore';
import type { CloudTasksClient } from '@google-cloud/tasks';
import type { Logger } from 'pino';
import { FirestoreThreadStore, createCloudTasksClient, createFirestoreClient, type ShopProfile } from '@lead-intake/shared';
import { AgentsSdkAgent } from './adapters/agents-sdk-agent.js';
import { CloudTasksLeadTrigger, noLeadTrigger } from './adapters/cloud-tasks-lead-trigger.js';
import { JwtVisitorTokens } from './adapters/jwt-visitor-tokens.js';
import { parseVisitorTokenKeys, type VisitorTokenKeys } from './adapters/visitor-token-keys.js';
import type { AppDeps } from './app.js';
import { triggerQueueName, type SessionConfig } from './config.js';
import type { UsageLimitSettings } from './domain/usage-limits.js';
import type { LeadTrigger, ThreadStore } from './ports.js';
import { ChatKitServer, type Respond } from './use-cases/chat-server.js';
import { ShopChat, type ShopChatDeps } from './use-cases/shop-chat.js';
import { TurnGuard } from './use-cases/turn-guard.js';

/**
 * The composition root: the session service's adapters from the parsed config. server.ts builds
 * the app from it, the test harness the same app over the local stand-ins' clients.
 */

/** The clients the session service talks through. */
export interface SessionClients {
  firestore: Firestore;
  openai: OpenAI;
  /** Only when the server-side lead trigger is configured (LEAD_TRIGGER_URL). */
  tasks: CloudTasksClient | undefined;
}

export interface SessionSecrets {
  get(): Promise<{ OPENAI_API_KEY: string; VISITOR_TOKEN_KEYS: string }>;
}

/** Production clients (the emulators when their variables are set); `close` ends them all. */
export function createSessionClients(config: SessionConfig, secrets: SessionSecrets): SessionClients & { close(): Promise<void> } {
  const clients: SessionClients = {
    firestore: createFirestoreClient(config.GOOGLE_CLOUD_PROJECT),
    openai: new OpenAI({
      apiKey: async () => (await secrets.get()).OPENAI_API_KEY,
      baseURL: config.OPENAI_BASE_URL ?? null,
      timeout: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
    }),
    tasks: leadTriggerConfigured(config)
      ? createCloudTasksClient({ emulatorHost: config.CLOUD_TASKS_EMULATOR_HOST, projectId: config.GOOGLE_CLOUD_PROJECT })
      : undefined,
  };
  return {
    ...clients,
    close: async () => {
      await Promise.allSettled([clients.firestore.terminate(), clients.tasks?.close()]);
    },
  };
}

const leadTriggerConfigured = (config: SessionConfig): boolean => Boolean(config.LEAD_TRIGGER_URL && config.TASK_SERVICE_ACCOUNT_EMAIL);

/** What the tests may put in place of a part (a store that fails, a trigger that records, a scripted answer, a clock). */
export interface Seams {
  wrapStore?: (store: ThreadStore) => ThreadStore;
  leadTrigger?: LeadTrigger;
  /** Replaces the shop chat's `respond` (protocol tests with scripted answers). */
  respond?: (shopChat: ShopChat) => Respond;
  now?: () => Date;
}

/** Everything createApp needs, from the config, the clients and the secrets. */
export function buildAppDeps(
  config: SessionConfig,
  clients: SessionClients,
  shop: ShopProfile,
  secrets: SessionSecrets,
  logger: Logger,
  seams: Seams = {},
): AppDeps {
  const now = seams.now ?? (() => new Date());
  const store = new FirestoreThreadStore(clients.firestore, {
    collection: config.CHAT_THREADS_COLLECTION,
    retentionMs: config.CHAT_RETENTION_DAYS * 86_400_000,
    deadlineMs: config.FIRESTORE_DEADLINE_MS,
  });
  const chat = chatServer({
    store: seams.wrapStore ? seams.wrapStore(store) : store,
    agent: new AgentsSdkAgent(clients.openai, {
      model: config.AGENT_MODEL,
      temperature: config.AGENT_TEMPERATURE,
      maxOutputTokens: config.AGENT_MAX_OUTPUT_TOKENS,
      streamIdleTimeoutMs: config.AGENT_STREAM_IDLE_TIMEOUT_MS,
    }),
    leadTrigger: seams.leadTrigger ?? leadTrigger(config, clients, logger),
    shop,
    limits: usageLimits(config),
    historyItems: config.AGENT_HISTORY_ITEMS,
    historyChars: config.AGENT_HISTORY_CHARS,
    now,
    ...(seams.respond ? { respond: seams.respond } : {}),
  });
  return {
    logger,
    projectId: config.GOOGLE_CLOUD_PROJECT,
    allowedOrigins: config.ALLOWED_ORIGINS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    chatKitRateLimitPerMinute: config.CHATKIT_RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    trustedProxyRanges: config.TRUSTED_PROXY_RANGES,
    tokens: new JwtVisitorTokens(
      visitorKeys(secrets),
      { tokenTtlSeconds: config.VISITOR_TOKEN_TTL_SECONDS, proofTtlSeconds: proofTtlSeconds(config) },
      now,
    ),
    proofTtlSeconds: proofTtlSeconds(config),
    chat,
    shop,
  };
}

/** The ChatKit server of the shop chat: the protocol server, the shop chat's answer, its turn guard and lead signal. */
export function chatServer(
  parts: ShopChatDeps & { store: ThreadStore; limits: UsageLimitSettings; respond?: (shopChat: ShopChat) => Respond },
): ChatKitServer {
  const shopChat = new ShopChat(parts);
  return new ChatKitServer({
    store: parts.store,
    respond: parts.respond ? parts.respond(shopChat) : (thread, input, turn) => shopChat.respond(thread, input, turn),
    guard: new TurnGuard(parts.store, parts.limits),
    onTurnEnded: (ended) => shopChat.turnEnded(ended),
    interruptedMessage: (visitor) => shopChat.interruptedMessage(visitor),
    now: parts.now,
  });
}

const usageLimits = (config: SessionConfig): UsageLimitSettings => ({
  messagesPerMinutePerVisitor: config.LIMIT_MESSAGES_PER_MINUTE_PER_VISITOR,
  messagesPerMinutePerIp: config.LIMIT_MESSAGES_PER_MINUTE_PER_IP,
  maxInputChars: config.LIMIT_INPUT_CHARS,
  maxMessagesPerThread: config.LIMIT_MESSAGES_PER_THREAD,
  maxThreadsPerVisitorPerDay: config.LIMIT_THREADS_PER_VISITOR_PER_DAY,
});

function leadTrigger(config: SessionConfig, clients: SessionClients, logger: Logger): LeadTrigger {
  if (!clients.tasks || !config.LEAD_TRIGGER_URL || !config.TASK_SERVICE_ACCOUNT_EMAIL) {
    logger.warn('LEAD_TRIGGER_URL is not set: turns do not trigger the lead pipeline server-side (browser triggers only)');
    return noLeadTrigger;
  }
  return new CloudTasksLeadTrigger(clients.tasks, {
    queue: triggerQueueName(config),
    url: config.LEAD_TRIGGER_URL,
    serviceAccountEmail: config.TASK_SERVICE_ACCOUNT_EMAIL,
    deadlineMs: config.CLOUD_TASKS_DEADLINE_MS,
  });
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
