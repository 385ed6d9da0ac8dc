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
import { AgentsSdkAgent } from '../src/adapters/agents-sdk-agent.js';
import { createApp, type AppDeps } from '../src/app.js';
import type { LeadTriggerPort, LeadTurnSignal } from '../src/ports.js';
import type { UsageLimitSettings } from '../src/domain/usage-limits.js';
import { parseVisitorTokenKeys } from '../src/adapters/visitor-token-keys.js';
import { JwtVisitorTokens } from '../src/adapters/jwt-visitor-tokens.js';
import { ChatKitServer } from '../src/use-cases/chat-server.js';
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
export class RecordingLeadTrigger implements LeadTriggerPort {
  readonly signals: LeadTurnSignal[] = [];
  async turnCompleted(signal: LeadTurnSignal): Promise<void> {
    this.signals.push(signal);
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
  leadTrigger?: LeadTriggerPort;
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
  tokens: JwtVisitorTokens;
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
  const store = new FirestoreThreadStore(db, { collection: `threads_${randomUUID().slice(0, 8)}`, retentionMs: 90 * 86_400_000 });
  const openai = new OpenAI({ apiKey: API_KEY, baseURL: stub.baseURL, timeout: options.openaiTimeoutMs ?? 5000, maxRetries: 0 });
  const leads = new RecordingLeadTrigger();
  const keys = await parseVisitorTokenKeys(TEST_KEYS);
  const tokens = new JwtVisitorTokens(
    async () => keys,
    { tokenTtlSeconds: options.tokenTtlSeconds ?? 900, proofTtlSeconds: PROOF_TTL_SECONDS },
    options.now,
  );
  const chat = new ChatKitServer({
    store: options.wrapStore ? options.wrapStore(store) : store,
    agent: new AgentsSdkAgent(openai, {
      model: 'gpt-test',
      temperature: 0.3,
      maxOutputTokens: 400,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs ?? 15_000,
    }),
    leadTrigger: options.leadTrigger ?? leads,
    shop,
    limits: { ...generousLimits, ...options.limits },
    historyItems: 40,
    historyChars: options.historyChars ?? 16_000,
    now: options.now ?? (() => new Date()),
  });
  const app = createApp({
    logger,
    projectId: 'test-project',
    allowedOrigins: [SITE_ORIGIN],
    rateLimitPerMinute: 1000,
    chatKitRateLimitPerMinute: 1000,
    trustProxy: 1,
    tokens,
    proofTtlSeconds: PROOF_TTL_SECONDS,
    chat,
    shop,
    ...options.app,
  });
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
    tokens,
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
