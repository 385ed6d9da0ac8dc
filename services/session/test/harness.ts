import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import OpenAI from 'openai';
import type { Firestore } from '@google-cloud/firestore';
import { setTracingDisabled } from '@openai/agents';
import {
  FirestoreThreadStore,
  createHttpServer,
  createLogger,
  defaultShopProfilePath,
  loadShopProfile,
  type ShopProfile,
  type ThreadStore,
} from '@lead-intake/shared';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import { LogCapture } from '@lead-intake/dev-tools/testing/log-capture';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import { createApp, type AppDeps } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { UsageLimitSettings } from '../src/domain/usage-limits.js';
import type { LeadTrigger, LeadTurnSignal, VisitorTokens } from '../src/ports.js';
import { buildAppDeps, type Seams } from '../src/wiring.js';
import { ChatKitTestClient } from './chatkit-client.js';

export const SITE_ORIGIN = 'https://shop.example';
const API_KEY = 'sk-test-session-service';
export const TEST_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64url')}`;
const PROOF_TTL_SECONDS = 90 * 86_400;

setTracingDisabled(true);

export const generousLimits: UsageLimitSettings = {
  messagesPerMinutePerVisitor: 1000,
  messagesPerMinutePerIp: 1000,
  maxInputChars: 2000,
  maxMessagesPerThread: 1000,
  maxThreadsPerVisitorPerDay: 1000,
};

/** Records the server-side lead signals instead of scheduling Cloud Tasks. */
export class RecordingLeadTrigger implements LeadTrigger {
  readonly signals: LeadTurnSignal[] = [];
  private readonly waiting: Array<{ threadId: string; resolve: (signal: LeadTurnSignal) => void }> = [];

  async turnCompleted(signal: LeadTurnSignal): Promise<void> {
    this.signals.push(signal);
    for (const waiter of this.waiting.filter((w) => w.threadId === signal.threadId)) {
      this.waiting.splice(this.waiting.indexOf(waiter), 1);
      waiter.resolve(signal);
    }
  }

  /** Resolves with the next signal for the thread: its turn has ended, whatever was saved is saved. */
  nextSignal(threadId: string): Promise<LeadTurnSignal> {
    return new Promise((resolve) => this.waiting.push({ threadId, resolve }));
  }
}

export interface TestServiceOptions {
  stub?: OpenAIStub;
  limits?: Partial<UsageLimitSettings>;
  /** The agent's history budget in characters (AGENT_HISTORY_CHARS). */
  historyChars?: number;
  /** Longest quiet time between model stream events (AGENT_STREAM_IDLE_TIMEOUT_MS). */
  streamIdleTimeoutMs?: number;
  /** Wraps the real thread store, e.g. to inject failures. */
  wrapStore?: (store: ThreadStore) => ThreadStore;
  leadTrigger?: LeadTrigger;
  /** Replaces the shop chat's answer (protocol tests with scripted events). */
  respond?: Seams['respond'];
  tokenTtlSeconds?: number;
  openaiTimeoutMs?: number;
  app?: Partial<AppDeps>;
  now?: () => Date;
}

export interface TestService {
  url: string;
  stub: OpenAIStub;
  logs: LogCapture;
  shop: ShopProfile;
  db: Firestore;
  store: FirestoreThreadStore;
  leads: RecordingLeadTrigger;
  tokens: VisitorTokens;
  /** A new visitor with a fresh token (minted through the API). */
  visitor(): Promise<ChatKitTestClient>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const stub = options.stub ?? (await startOpenAIStub({ port: 0 }));
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', service: 'session-test' }, logs);
  const shop = await loadShopProfile(defaultShopProfilePath);
  const db = localFirestoreClient(useProvided('firestore'));
  const limits = { ...generousLimits, ...options.limits };
  // Configured as in production (the service's variables, parsed by its schema), on the stand-ins.
  const config = loadConfig({
    GOOGLE_CLOUD_PROJECT: 'test-project',
    ALLOWED_ORIGINS: SITE_ORIGIN,
    RATE_LIMIT_PER_MINUTE: '1000',
    CHATKIT_RATE_LIMIT_PER_MINUTE: '1000',
    TRUST_PROXY: '1',
    OPENAI_API_KEY: API_KEY,
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_TIMEOUT_MS: String(options.openaiTimeoutMs ?? 5000),
    OPENAI_MAX_RETRIES: '0',
    VISITOR_TOKEN_KEYS: TEST_KEYS,
    VISITOR_TOKEN_TTL_SECONDS: String(options.tokenTtlSeconds ?? 900),
    CHAT_RETENTION_DAYS: String(PROOF_TTL_SECONDS / 86_400),
    CHAT_THREADS_COLLECTION: `threads_${randomUUID().slice(0, 8)}`,
    AGENT_MODEL: 'gpt-test',
    AGENT_TEMPERATURE: '0.3',
    AGENT_MAX_OUTPUT_TOKENS: '400',
    AGENT_HISTORY_ITEMS: '40',
    AGENT_HISTORY_CHARS: String(options.historyChars ?? 16_000),
    AGENT_STREAM_IDLE_TIMEOUT_MS: String(options.streamIdleTimeoutMs ?? 15_000),
    LIMIT_MESSAGES_PER_MINUTE_PER_VISITOR: String(limits.messagesPerMinutePerVisitor),
    LIMIT_MESSAGES_PER_MINUTE_PER_IP: String(limits.messagesPerMinutePerIp),
    LIMIT_INPUT_CHARS: String(limits.maxInputChars),
    LIMIT_MESSAGES_PER_THREAD: String(limits.maxMessagesPerThread),
    LIMIT_THREADS_PER_VISITOR_PER_DAY: String(limits.maxThreadsPerVisitorPerDay),
  });
  const secrets = { get: async () => ({ OPENAI_API_KEY: API_KEY, VISITOR_TOKEN_KEYS: TEST_KEYS }) };
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: stub.baseURL, timeout: config.OPENAI_TIMEOUT_MS, maxRetries: 0 });
  const leads = new RecordingLeadTrigger();
  const deps = buildAppDeps(config, { firestore: db, openai, tasks: undefined }, shop, secrets, logger, {
    leadTrigger: options.leadTrigger ?? leads,
    ...(options.wrapStore ? { wrapStore: options.wrapStore } : {}),
    ...(options.respond ? { respond: options.respond } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  // The same collection, unwrapped: what the tests read and seed directly.
  const store = new FirestoreThreadStore(db, { collection: config.CHAT_THREADS_COLLECTION, retentionMs: 90 * 86_400_000 });
  const app = createApp({ ...deps, ...options.app });
  // The server the service runs on (startServer's), so protocol-level refusals are tested too.
  const server: Server = createHttpServer(app, logger);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE_ORIGIN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    url,
    stub,
    logs,
    shop,
    db,
    store,
    leads,
    tokens: deps.tokens,
    post,
    visitor: async () => {
      const response = await post('/api/chatkit/session', { locale: 'en', pageUrl: `${SITE_ORIGIN}/en/` });
      if (response.status !== 200) throw new Error(`session mint failed: ${response.status} ${await response.text()}`);
      const session = (await response.json()) as { token: string; user: string };
      return new ChatKitTestClient(url, session.token, session.user, SITE_ORIGIN);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.terminate();
      if (!options.stub) await stub.close();
    },
  };
}

export async function expectJsonError(response: Response, status: number, code: string): Promise<string> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  if (!/^application\/json/.test(response.headers.get('content-type') ?? '')) throw new Error('not a JSON error');
  const body = (await response.json()) as { error: { code: string; message: string } };
  if (body.error.code !== code || Object.keys(body).join() !== 'error') throw new Error(`unexpected error body ${JSON.stringify(body)}`);
  return body.error.message;
}
