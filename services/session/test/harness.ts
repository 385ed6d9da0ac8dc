import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import OpenAI from 'openai';
import { createLogger, loadShopProfile, defaultShopProfilePath, type ShopProfile } from '@lead-intake/shared';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import { LogCapture } from '@lead-intake/dev-tools/testing/log-capture';
import { createApp, type AppDeps } from '../src/app.js';
import { OpenAIChatKitSessions } from '../src/openai-chatkit-sessions.js';

export const SITE_ORIGIN = 'https://shop.example';
export const WORKFLOW_ID = 'wf_test_1234567890';
export const API_KEY = 'sk-test-session-service';

export interface TestService {
  url: string;
  stub: OpenAIStub;
  logs: LogCapture;
  shop: ShopProfile;
  post(body: unknown, init?: { headers?: Record<string, string>; rawBody?: string; path?: string }): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestService(
  overrides: Partial<AppDeps> & { openaiTimeoutMs?: number; openaiMaxRetries?: number; stub?: OpenAIStub } = {},
): Promise<TestService> {
  const stub = overrides.stub ?? (await startOpenAIStub({ port: 0 }));
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', service: 'session-test' }, logs);
  const shop = overrides.shop ?? (await loadShopProfile(defaultShopProfilePath));
  const openai = new OpenAI({
    apiKey: API_KEY,
    baseURL: stub.baseURL,
    timeout: overrides.openaiTimeoutMs ?? 2000,
    maxRetries: overrides.openaiMaxRetries ?? 0,
  });
  const app = createApp({
    logger,
    projectId: 'test-project',
    allowedOrigins: [SITE_ORIGIN],
    rateLimitPerMinute: 1000,
    trustProxy: 2,
    sessions: new OpenAIChatKitSessions(openai),
    secrets: { get: async () => ({ CHATKIT_WORKFLOW_ID: WORKFLOW_ID }) },
    shop,
    now: () => new Date(),
    ...overrides,
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    stub,
    logs,
    shop,
    post: (body, init = {}) =>
      fetch(`${url}${init.path ?? '/api/chatkit/session'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: SITE_ORIGIN, ...init.headers },
        body: init.rawBody ?? JSON.stringify(body),
      }),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      if (!overrides.stub) await stub.close();
    },
  };
}
