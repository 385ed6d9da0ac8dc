import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startOpenAIStub, type OpenAIStub } from '../../src/openai-stub/server.js';

/**
 * One stand-in per test file, reset between tests (faults, recorded requests, plus `reset`),
 * and an `openai` SDK client pointed at it.
 */
export function useOpenAIStub(options: { reset?: (stub: OpenAIStub) => void } = {}) {
  let current: OpenAIStub | undefined;
  beforeAll(async () => {
    current = await startOpenAIStub();
  });
  afterAll(async () => {
    await current?.close();
  });
  afterEach(() => {
    current?.clearFaults();
    current?.clearRequests();
    if (current) options.reset?.(current);
  });
  return {
    get stub(): OpenAIStub {
      if (!current) throw new Error('the OpenAI stand-in is not started yet (use it inside a test)');
      return current;
    },
    client(overrides: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}): OpenAI {
      return new OpenAI({ apiKey: 'sk-test', baseURL: this.stub.baseURL, maxRetries: 0, ...overrides });
    },
  };
}
