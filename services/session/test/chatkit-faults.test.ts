import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TransientError, type ThreadStore } from '@lead-intake/shared';
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import { startTestService, type TestService } from './harness.js';
import { itemsFromStream, parseEvents, streamedText, userInput } from './chatkit-client.js';

const RESPONSES = 'POST /v1/responses';
let service: TestService;
beforeAll(async () => {
  service = await startTestService({ openaiTimeoutMs: 1500 });
});
afterAll(async () => {
  await service.close();
});
beforeEach(() => {
  service.stub.clearFaults();
  service.stub.clearRequests();
  service.leads.signals.length = 0;
});

async function startChat() {
  const visitor = await service.visitor();
  const first = await visitor.stream('threads.create', { input: userInput('Hello, my seat is torn') });
  const threadId = (first.events[0] as { thread: { id: string } }).thread.id;
  return { visitor, threadId, first };
}

async function expectNextTurnWorks(visitor: Awaited<ReturnType<TestService['visitor']>>, threadId: string) {
  const next = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('Are you still there?') });
  expect(next.events.some((e) => e.type === 'error')).toBe(false);
  expect(streamedText(next.events).length).toBeGreaterThan(5);
}

describe('upstream failures inside a turn', () => {
  it('when OpenAI answers 429 before the stream, then a protocol error event, the user message kept, no 500, and the next turn works', async () => {
    const { visitor, threadId } = await startChat();
    service.stub.injectFault({
      route: RESPONSES,
      kind: 'status',
      status: 429,
      message: 'Rate limit reached for gpt (secret upstream text)',
    });
    const turn = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('My phone is 408-555-0199') });
    expect(turn.status).toBe(200);
    const error = turn.events.at(-1);
    expect(error).toMatchObject({ type: 'error', code: 'custom', allow_retry: true });
    expect(JSON.stringify(turn.events)).not.toContain('secret upstream text');
    const placeholder = turn.events.find((e) => e.type === 'thread.item.added');
    expect(turn.events).toContainEqual({ type: 'thread.item.removed', item_id: (placeholder as { item: { id: string } }).item.id });
    const items = await visitor.allItems(threadId);
    expect(items.map((i) => i.type)).toEqual(['user_message', 'assistant_message', 'user_message']);
    expect(JSON.stringify(items[2])).toContain('408-555-0199');
    expect(service.leads.signals.map((s) => s.threadId)).toEqual([threadId, threadId]);
    await expectNextTurnWorks(visitor, threadId);
  });

  it('when the stream fails mid-way, then the partial reply is persisted as streamed, an error event follows, and the next turn works', async () => {
    const { visitor, threadId } = await startChat();
    service.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 2, mode: 'error_event' });
    const turn = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('It is a Ford F-150') });
    expect(turn.events.at(-1)).toMatchObject({ type: 'error', allow_retry: true });
    const partial = streamedText(turn.events);
    expect(partial.length).toBeGreaterThan(0);
    const streamed = itemsFromStream(turn.events);
    expect(streamed[1]).toMatchObject({ type: 'assistant_message', content: [{ text: partial }] });
    const items = await visitor.allItems(threadId);
    expect(items.slice(2)).toEqual(streamed);
    await expectNextTurnWorks(visitor, threadId);
  });

  it('when the connection to OpenAI drops mid-stream, then the same: partial kept, error event, no 500', async () => {
    const { visitor, threadId } = await startChat();
    service.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 3, mode: 'drop' });
    const turn = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('Leather seats') });
    expect(turn.events.at(-1)).toMatchObject({ type: 'error' });
    expect((await visitor.allItems(threadId)).slice(2)).toEqual(itemsFromStream(turn.events));
    await expectNextTurnWorks(visitor, threadId);
  });

  it('when OpenAI does not answer within the timeout, then a timeout error event and the user message kept', async () => {
    const { visitor, threadId } = await startChat();
    service.stub.injectFault({ route: RESPONSES, kind: 'hang' });
    const turn = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('hello?') });
    expect(turn.events.at(-1)).toMatchObject({ type: 'error', code: 'custom', message: expect.stringMatching(/too long/) });
    expect((await visitor.allItems(threadId)).map((i) => i.type)).toEqual(['user_message', 'assistant_message', 'user_message']);
    await expectNextTurnWorks(visitor, threadId);
  });
});

describe('a model stream that stalls', () => {
  let stalling: TestService;
  beforeAll(async () => {
    stalling = await startTestService({ stub: service.stub, streamIdleTimeoutMs: 400 });
  });
  afterAll(async () => {
    await stalling.close();
  });

  it('when the model stops sending events mid-stream, then the turn ends with the retryable error event after the idle timeout, the partial reply kept', async () => {
    const visitor = await stalling.visitor();
    const first = await visitor.stream('threads.create', { input: userInput('Hello, my seat is torn') });
    const threadId = (first.events[0] as { thread: { id: string } }).thread.id;
    // Two deltas, then nothing for ten minutes (the stream stays open).
    service.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 2, deltaDelayMs: 600_000 });
    const turn = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('It is a Ford') });
    expect(turn.events.at(-1)).toMatchObject({
      type: 'error',
      code: 'custom',
      allow_retry: true,
      message: expect.stringMatching(/too long/),
    });
    const partial = streamedText(turn.events);
    expect(partial.length).toBeGreaterThan(0);
    expect((await visitor.allItems(threadId)).slice(2)).toEqual(itemsFromStream(turn.events));
    expect(itemsFromStream(turn.events)[1]).toMatchObject({ type: 'assistant_message', content: [{ text: partial }] });
    service.stub.clearFaults();
    await expectNextTurnWorks(visitor, threadId);
  });

  it('when the model sends its first events and then nothing, then the same error event and no empty reply', async () => {
    const visitor = await stalling.visitor();
    service.stub.injectFault({ route: RESPONSES, kind: 'slow_first_token', ms: 600_000 });
    const turn = await visitor.stream('threads.create', { input: userInput('Hello?') });
    expect(turn.events.at(-1)).toMatchObject({ type: 'error', allow_retry: true });
    expect(itemsFromStream(turn.events).map((item) => item.type)).toEqual(['user_message']);
  });
});

describe('saving the reply', () => {
  /** The real store, whose assistant-message writes fail `failures` times (a Firestore hiccup). */
  const flakyReplies = (failures: number) => (store: ThreadStore) => {
    let left = failures;
    return new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'addItem') return Reflect.get(target, name, receiver) as unknown;
        return async (threadId: string, item: ThreadItem) => {
          if (item.type === 'assistant_message' && left > 0) {
            left -= 1;
            throw new TransientError('Firestore unavailable (injected)');
          }
          return target.addItem(threadId, item);
        };
      },
    });
  };

  it('when Firestore fails once while the reply is saved, then the save is retried and the turn completes', async () => {
    const flaky = await startTestService({ stub: service.stub, wrapStore: flakyReplies(1) });
    try {
      const visitor = await flaky.visitor();
      const turn = await visitor.stream('threads.create', { input: userInput('My headliner sags') });
      expect(turn.events.some((e) => e.type === 'error')).toBe(false);
      const threadId = (turn.events[0] as { thread: { id: string } }).thread.id;
      expect(await visitor.allItems(threadId)).toEqual(itemsFromStream(turn.events));
      expect(itemsFromStream(turn.events).map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    } finally {
      await flaky.close();
    }
  });

  it('when Firestore keeps failing while the reply is saved, then an error event instead of a reply the thread does not have', async () => {
    const flaky = await startTestService({ stub: service.stub, wrapStore: flakyReplies(100) });
    try {
      const visitor = await flaky.visitor();
      const turn = await visitor.stream('threads.create', { input: userInput('My headliner sags') });
      expect(turn.events.at(-1)).toMatchObject({ type: 'error', allow_retry: true });
      const threadId = (turn.events[0] as { thread: { id: string } }).thread.id;
      expect(itemsFromStream(turn.events)).toEqual(await visitor.allItems(threadId));
      expect((await visitor.allItems(threadId)).map((item) => item.type)).toEqual(['user_message']);
    } finally {
      await flaky.close();
    }
  });
});

describe('client disconnect', () => {
  it('when the visitor goes away mid-stream, then what was streamed is persisted, the next turn works and the lead still hears of the turn', async () => {
    const { visitor, threadId } = await startChat();
    service.stub.injectFault({ route: RESPONSES, kind: 'slow_stream', deltaDelayMs: 150 });
    const abort = new AbortController();
    const response = await visitor.request(
      'threads.add_user_message',
      { thread_id: threadId, input: userInput('Tell me everything') },
      { signal: abort.signal },
    );
    const reader = response.body!.getReader();
    let received = '';
    const decoder = new TextDecoder();
    while (!received.includes('text_delta')) received += decoder.decode((await reader.read()).value ?? new Uint8Array());
    // Wait for a frame boundary so the partial text is what the client saw.
    while (!received.endsWith('\n\n')) received += decoder.decode((await reader.read()).value ?? new Uint8Array());
    abort.abort();
    const seen = streamedText(parseEvents(received));
    expect(seen.length).toBeGreaterThan(0);

    let items = await visitor.allItems(threadId);
    for (let i = 0; i < 50 && items.length < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      items = await visitor.allItems(threadId);
    }
    const partial = items[3];
    expect(partial?.type).toBe('assistant_message');
    const text = (partial as { content: { text: string }[] }).content[0]?.text ?? '';
    expect(text.startsWith(seen)).toBe(true);
    expect(service.leads.signals.length).toBeGreaterThanOrEqual(1);
    service.stub.clearFaults();
    await expectNextTurnWorks(visitor, threadId);
  });
});
