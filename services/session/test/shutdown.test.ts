import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { getOnFreshConnection, startServiceProcess, waitForHealth } from '@lead-intake/dev-tools/testing/service-process';
import { FirestoreThreadStore } from '@lead-intake/shared';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import { TEST_KEYS } from './harness.js';
import { ChatKitTestClient, itemsFromStream, parseEvents, streamedText, userInput } from './chatkit-client.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

let stub: OpenAIStub;
beforeAll(async () => {
  stub = await startOpenAIStub({ port: 0 });
});
afterAll(async () => {
  await stub.close();
});

/** server.ts as Cloud Run runs it, healthy, and a visitor with a token minted there. */
async function startWithVisitor(env: Record<string, string> = {}) {
  const service = await startServiceProcess(serviceDir, {
    OPENAI_API_KEY: 'sk-test-shutdown',
    VISITOR_TOKEN_KEYS: TEST_KEYS,
    ALLOWED_ORIGINS: 'http://localhost',
    OPENAI_BASE_URL: stub.baseURL,
    OPENAI_MAX_RETRIES: '0',
    GOOGLE_CLOUD_PROJECT: useProvided('firestore').projectId,
    FIRESTORE_EMULATOR_HOST: useProvided('firestore').hostPort,
    ...env,
  });
  await waitForHealth(service);
  const minted = (await (
    await fetch(`http://127.0.0.1:${service.port}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
  ).json()) as { token: string; user: string };
  return { service, visitor: new ChatKitTestClient(`http://127.0.0.1:${service.port}`, minted.token, minted.user, 'http://localhost') };
}

describe('process lifecycle', () => {
  it('when SIGTERM arrives during a request, then the request completes, new connections are refused and the process exits 0 within 10 s', async () => {
    const { service, visitor } = await startWithVisitor();
    // A streamed turn in flight when SIGTERM arrives: it must finish.
    stub.injectFault({ route: 'POST /v1/responses', kind: 'slow_first_token', ms: 1500 });
    const inFlight = visitor.request('threads.create', { input: userInput('hello') });
    const started = await inFlight; // the stream's headers are out; its first token is still 1.5 s away
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    // A fresh connection (not the pooled keep-alive one) must be refused.
    await expect(getOnFreshConnection(service.port)).rejects.toThrow();
    expect(started.status).toBe(200);
    const events = parseEvents(await started.text());
    expect(events.at(-1)?.type).toBe('thread.item.done');
    expect(streamedText(events).length).toBeGreaterThan(5);
    const [code] = await service.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(service.output()).toContain('draining in-flight requests');
  });

  it('when SIGTERM arrives during a stream longer than the drain, then it ends with a retryable error event before the drain runs out, its partial reply saved, and the process exits 0', async () => {
    const collection = `threads_${randomUUID().slice(0, 8)}`;
    const { service, visitor } = await startWithVisitor({ CHAT_THREADS_COLLECTION: collection, SHUTDOWN_TIMEOUT_MS: '3000' });
    // A long answer: a delta a second, longer than the 3 s drain.
    stub.injectFault({ route: 'POST /v1/responses', kind: 'slow_stream', deltaDelayMs: 1000 });
    const response = await visitor.request('threads.create', { input: userInput('Tell me everything about leather seats') });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes('text_delta')) received += decoder.decode((await reader.read()).value ?? new Uint8Array());
    service.child.kill('SIGTERM');
    const signalledAt = Date.now();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value);
    }
    const endedAfter = Date.now() - signalledAt;
    const events = parseEvents(received);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'custom', allow_retry: true });
    expect(endedAfter).toBeLessThan(3_000);
    const partial = streamedText(events);
    expect(partial.length).toBeGreaterThan(0);
    const [code] = await service.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);

    const threadId = (events[0] as { thread: { id: string } }).thread.id;
    const db = localFirestoreClient(useProvided('firestore'));
    try {
      const store = new FirestoreThreadStore(db, { collection, retentionMs: 86_400_000 });
      const items = (await store.listItems(threadId, { limit: 10, order: 'asc' })).data;
      expect(items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      expect(items[1]).toMatchObject({ content: [{ text: partial }] });
      expect(itemsFromStream(events)).toEqual(items);
    } finally {
      await db.terminate();
    }
  });

  it('when the configuration is invalid, then the process exits 1 with a message naming the variable', async () => {
    const service = await startServiceProcess(serviceDir, { ALLOWED_ORIGINS: 'not-an-origin', RATE_LIMIT_PER_MINUTE: 'ten' });
    const [code] = await service.exited;
    expect(code).toBe(1);
    expect(service.output()).toContain('ALLOWED_ORIGINS');
    expect(service.output()).toContain('RATE_LIMIT_PER_MINUTE');
    expect(service.output()).toContain('GOOGLE_CLOUD_PROJECT');
    expect(service.output()).not.toMatch(/\n\s+at /);
  });
});
