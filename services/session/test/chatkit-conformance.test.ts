/**
 * The behaviours of the reference server's tests (openai/chatkit-python
 * `tests/test_chatkit_server.py`) that apply to ours, through HTTP: the protocol server with a
 * scripted `respond` (the reference's `responder`), the Firestore thread store under it.
 *
 * Where our server deliberately differs:
 * - A retry after an item that is not a user message is a 400 `invalid_request`, and after an
 *   unknown item a 404, before any stream (the reference raises inside the stream, or streams
 *   nothing): the widget gets a JSON error it can show.
 * - Client tools, structured input, widget actions, attachments and transcription are not offered
 *   (one `error` event or a 400; chatkit-protocol.test.ts), so their cases do not apply.
 * - Feedback is logged (kind and count), not handed to a hook.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StoredThread, ThreadStore } from '@lead-intake/shared';
import type { AssistantMessageItem, ThreadItem, ThreadStreamEvent, UserMessageItem } from '@lead-intake/shared/chatkit';
import type { Turn } from '../src/use-cases/chat-server.js';
import { expectJsonError, startTestService, type TestService } from './harness.js';
import { itemsFromStream, parseEvents, userInput, type StreamEvent } from './chatkit-client.js';

type Script = (thread: StoredThread, input: UserMessageItem, turn: Turn) => AsyncIterable<ThreadStreamEvent>;
const nothing: Script = async function* () {};

let service: TestService;
let script: Script = nothing;
let calls: Array<{ input: UserMessageItem; user: string }> = [];
beforeAll(async () => {
  service = await startTestService({
    respond: () => (thread, input, turn) => {
      calls.push({ input, user: turn.visitor.user });
      return script(thread, input, turn);
    },
  });
});
afterAll(async () => {
  await service.close();
});
beforeEach(() => {
  script = nothing;
  calls = [];
});

let clock = Date.now();
/** Distinct, increasing creation times (the reference's `datetime.now()` has microseconds). */
const nextTime = () => new Date((clock = Math.max(clock + 1, Date.now()))).toISOString();

const assistant = (thread: { id: string }, id: string, text: string): AssistantMessageItem => ({
  id,
  thread_id: thread.id,
  created_at: nextTime(),
  type: 'assistant_message',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const user = (thread: { id: string }, id: string, text: string): UserMessageItem => ({
  id,
  thread_id: thread.id,
  created_at: nextTime(),
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});
const done = (item: ThreadItem): ThreadStreamEvent => ({ type: 'thread.item.done', item });

const createdId = (events: readonly StreamEvent[]): string => {
  const created = events.find((e) => e.type === 'thread.created');
  if (created?.type !== 'thread.created') throw new Error('no thread.created');
  return created.thread.id;
};
const text = (item: ThreadItem | undefined): string | undefined =>
  item && (item.type === 'user_message' || item.type === 'assistant_message') ? item.content[0]?.text : undefined;

describe('threads.create', () => {
  it('when a thread is created, then thread.created (no title), the user message as sent, then stream_options; respond gets the visitor', async () => {
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: { ...userInput('Hello, world!'), quoted_text: 'Quoted text' } });
    expect(events.map((e) => e.type)).toEqual(['thread.created', 'thread.item.done', 'stream_options']);
    expect(events[0]).toMatchObject({ thread: { status: { type: 'active' } } });
    expect((events[0] as { thread: { title?: string | null } }).thread.title ?? null).toBeNull();
    expect(events[1]).toMatchObject({ item: { type: 'user_message', content: [{ text: 'Hello, world!' }], quoted_text: 'Quoted text' } });
    expect(events[2]).toEqual({ type: 'stream_options', stream_options: { allow_cancel: true } });
    expect(calls.map((c) => c.user)).toEqual([visitor.user]);
  });

  it('when respond streams a progress update and a message, then they follow stream_options in order', async () => {
    script = async function* (thread) {
      yield { type: 'progress_update', text: 'Tool status' };
      yield done(assistant(thread, 'cthi_msg_4', 'Hello, world!'));
    };
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('Hello, world!') });
    expect(events.map((e) => e.type)).toEqual([
      'thread.created',
      'thread.item.done',
      'stream_options',
      'progress_update',
      'thread.item.done',
    ]);
  });

  it('when the store generates custom ids, then the thread and its message carry them', async () => {
    let n = 0;
    const customIds = (store: ThreadStore): ThreadStore =>
      new Proxy(store, {
        get(target, name, receiver) {
          if (name === 'generateThreadId') return () => `cthr_custom_${(n += 1)}`;
          if (name === 'generateItemId') return () => `cthi_custom_${(n += 1)}`;
          return Reflect.get(target, name, receiver) as unknown;
        },
      });
    const custom = await startTestService({ stub: service.stub, wrapStore: customIds, respond: () => nothing });
    try {
      const { events } = await (await custom.visitor()).stream('threads.create', { input: userInput('Hello') });
      expect(createdId(events)).toBe('cthr_custom_1');
      expect(itemsFromStream(events).map((item) => item.id)).toEqual(['cthi_custom_2']);
      expect((await custom.store.loadThread('cthr_custom_1'))?.id).toBe('cthr_custom_1');
    } finally {
      await custom.close();
    }
  });
});

describe('thread changes made by respond', () => {
  it('when respond renames the thread mid-stream, then thread.updated follows that event, the stream goes on, and the title is stored', async () => {
    script = async function* (thread) {
      yield done(assistant(thread, 'cthi_a', 'A'));
      thread.title = 'Mid-stream title';
      yield done(assistant(thread, 'cthi_b', 'B'));
      yield done(assistant(thread, 'cthi_c', 'C'));
    };
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('Hello') });
    const afterB = events.findIndex((e) => e.type === 'thread.item.done' && e.item.id === 'cthi_b');
    expect(events[afterB + 1]).toMatchObject({ type: 'thread.updated', thread: { title: 'Mid-stream title' } });
    expect(events[afterB + 2]).toMatchObject({ type: 'thread.item.done', item: { id: 'cthi_c' } });
    expect((await service.store.loadThread(createdId(events)))?.title).toBe('Mid-stream title');
  });

  it('when respond changes the title, the metadata or the status at the end, then each is stored and the stream ends with thread.updated', async () => {
    const visitor = await service.visitor();
    const changes: Array<[(thread: StoredThread) => void, (stored: StoredThread | null) => void]> = [
      [(t) => (t.title = 'Updated title'), (s) => expect(s?.title).toBe('Updated title')],
      [
        (t) => (t.metadata = { ...t.metadata, test_key: 'test_value' }),
        (s) => expect(s?.metadata).toMatchObject({ test_key: 'test_value' }),
      ],
      [(t) => (t.status = { type: 'locked', reason: 'Because' }), (s) => expect(s?.status).toEqual({ type: 'locked', reason: 'Because' })],
    ];
    for (const [change, check] of changes) {
      script = async function* (thread) {
        yield* [];
        change(thread);
      };
      const { events } = await visitor.stream('threads.create', { input: userInput('Hello, world!') });
      expect(events.at(-1)?.type).toBe('thread.updated');
      check(await service.store.loadThread(createdId(events)));
    }
    const locked = (await visitor.listThreads()).data[0];
    expect(locked?.status).toEqual({ type: 'locked', reason: 'Because' });
  });
});

describe('reads', () => {
  it('when a visitor has 25 threads, then threads.list pages 20 newest first by default, then the other 5', async () => {
    const visitor = await service.visitor();
    const ids: string[] = [];
    for (let i = 0; i < 25; i += 1)
      ids.push(createdId((await visitor.stream('threads.create', { input: userInput(`Thread ${i}`) })).events));
    const first = await visitor.listThreads({ limit: 20 });
    expect(first.data.map((t) => t.id)).toEqual(ids.slice(5).reverse());
    expect(first.data[0]!.created_at >= first.data[1]!.created_at).toBe(true);
    expect(first.has_more).toBe(true);
    expect(first.after).not.toBeNull();
    const rest = await visitor.listThreads({ after: first.data.at(-1)?.id });
    expect(rest.data.map((t) => t.id)).toEqual(ids.slice(0, 5).reverse());
    expect(rest).toMatchObject({ has_more: false, after: null });
  });

  it('when a thread has 26 items, then items.list pages 20 newest first by default, then the other 6', async () => {
    script = async function* (thread) {
      for (let i = 0; i < 25; i += 1) yield done(user(thread, `cthi_msg_${i}`, `Message ${i}`));
    };
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Thread 1') })).events);
    const page = await visitor.listItems(threadId);
    expect(page.data).toHaveLength(20);
    expect(page.data[0]!.created_at > page.data[1]!.created_at).toBe(true);
    expect(page.data[0]?.id).toBe('cthi_msg_24');
    expect(page.has_more).toBe(true);
    const rest = await visitor.listItems(threadId, { after: page.data.at(-1)?.id });
    expect(rest.data).toHaveLength(6);
    expect(rest.has_more).toBe(false);
    expect(text(rest.data.at(-1))).toBe('Thread 1');
  });

  it('when a thread is read by id, then its items come oldest first', async () => {
    script = async function* (thread) {
      yield done(assistant(thread, 'cthi_reply', 'Hi!'));
    };
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Test thread') })).events);
    const thread = await visitor.getThread(threadId);
    expect(thread.id).toBe(threadId);
    expect(thread.items.data.map((item) => [item.type, text(item)])).toEqual([
      ['user_message', 'Test thread'],
      ['assistant_message', 'Hi!'],
    ]);
  });

  it('when a thread is renamed, then the answer is the thread with the new title', async () => {
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Hello, world!') })).events);
    expect(await (await visitor.request('threads.update', { thread_id: threadId, title: 'New Title' })).json()).toMatchObject({
      id: threadId,
      title: 'New Title',
    });
  });

  it('when a thread is deleted, then the answer is {} and reading it is not found', async () => {
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Thread to delete') })).events);
    expect(await (await visitor.request('threads.delete', { thread_id: threadId })).json()).toEqual({});
    await expectJsonError(await visitor.request('threads.get_by_id', { thread_id: threadId }), 404, 'not_found');
    expect(await service.store.loadThread(threadId)).toBeNull();
  });

  it('when feedback is given on items, then the answer is {} and the log holds its kind and count, no text', async () => {
    script = async function* (thread) {
      yield done(assistant(thread, 'cthi_feedback_reply', 'Feedback received!'));
      yield done({ id: 'cthi_widget_1', thread_id: thread.id, created_at: nextTime(), type: 'widget', widget: { type: 'Card' } });
    };
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Test feedback') })).events);
    for (const [ids, kind] of [
      [['cthi_feedback_reply'], 'positive'],
      [['cthi_widget_1'], 'negative'],
    ] as const) {
      expect(await (await visitor.request('items.feedback', { thread_id: threadId, item_ids: ids, kind })).json()).toEqual({});
    }
    const lines = service.logs.lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.message === 'chatkit feedback');
    expect(lines.slice(-2).map((l) => [l.threadId, l.items, l.kind])).toEqual([
      [threadId, 1, 'positive'],
      [threadId, 1, 'negative'],
    ]);
  });
});

describe('events respond streams are persisted', () => {
  it('when respond removes an item it added, then thread.item.removed is sent and the item is gone from the thread', async () => {
    script = async function* (thread) {
      yield done(user(thread, 'cthi_to_remove', 'To be removed'));
      yield { type: 'thread.item.removed', item_id: 'cthi_to_remove' };
    };
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('Trigger removal') });
    expect(events).toContainEqual({ type: 'thread.item.removed', item_id: 'cthi_to_remove' });
    expect((await visitor.listItems(createdId(events))).data.map((item) => item.id)).not.toContain('cthi_to_remove');
  });

  it('when respond replaces an item (a message, a widget), then thread.item.replaced is sent and the thread holds the replacement', async () => {
    script = async function* (thread) {
      yield done(user(thread, 'cthi_to_replace', 'Original content'));
      yield { type: 'thread.item.replaced', item: assistant(thread, 'cthi_to_replace', 'This is the replacement content') };
      yield done({
        id: 'cthi_widget',
        thread_id: thread.id,
        created_at: nextTime(),
        type: 'widget',
        widget: { text: 'Original widget content' },
      });
      yield {
        type: 'thread.item.replaced',
        item: {
          id: 'cthi_widget',
          thread_id: thread.id,
          created_at: nextTime(),
          type: 'widget',
          widget: { text: 'Replaced widget content' },
        },
      };
    };
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('Trigger replacement') });
    expect(events.filter((e) => e.type === 'thread.item.replaced').map((e) => (e as { item: ThreadItem }).item.id)).toEqual([
      'cthi_to_replace',
      'cthi_widget',
    ]);
    const items = (await visitor.listItems(createdId(events))).data;
    const replaced = items.find((item) => item.id === 'cthi_to_replace');
    expect(replaced?.type).toBe('assistant_message');
    expect(text(replaced)).toBe('This is the replacement content');
    expect(items.find((item) => item.id === 'cthi_widget')).toMatchObject({ widget: { text: 'Replaced widget content' } });
  });

  it('when respond streams hidden items, then they are stored but never sent, listed or shown with the thread', async () => {
    script = async function* (thread) {
      yield done({ id: 'cthi_hidden', thread_id: thread.id, created_at: nextTime(), type: 'sdk_hidden_context', content: 'secret note' });
      yield done({ id: 'cthi_hidden_2', thread_id: thread.id, created_at: nextTime(), type: 'hidden_context_item', content: 'app note' });
      yield done(assistant(thread, 'cthi_visible', 'Visible'));
    };
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('Hello') });
    const threadId = createdId(events);
    expect(JSON.stringify(events)).not.toContain('cthi_hidden');
    expect((await visitor.listItems(threadId)).data.map((item) => item.id)).not.toContain('cthi_hidden');
    expect(JSON.stringify(await visitor.getThread(threadId))).not.toContain('note');
    const stored = (await service.store.listItems(threadId, { limit: 10, order: 'asc' })).data.map((item) => item.id);
    expect(stored).toEqual(expect.arrayContaining(['cthi_hidden', 'cthi_hidden_2', 'cthi_visible']));
  });

  it('when respond throws, then the stream ends with a retryable stream.error event', async () => {
    script = async function* () {
      yield* [];
      throw new Error('respond exploded (internal detail)');
    };
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('Test error') });
    expect(events.at(-1)).toEqual({ type: 'error', code: 'stream.error', allow_retry: true });
    expect(JSON.stringify(events)).not.toContain('internal detail');
  });
});

describe('cancellation', () => {
  /** Starts a thread whose answer stops once `streamed` was sent and waits for the visitor; the visitor then leaves. */
  async function cancelAfterStreaming(pending: AssistantMessageItem, delta: string | null): Promise<string> {
    script = async function* (_thread, _input, turn) {
      yield { type: 'thread.item.added', item: pending };
      if (delta !== null) {
        yield {
          type: 'thread.item.updated',
          item_id: pending.id,
          update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
        };
      }
      await new Promise((resolve) => turn.signal.addEventListener('abort', resolve, { once: true }));
    };
    const visitor = await service.visitor();
    const abort = new AbortController();
    const response = await visitor.request('threads.create', { input: userInput('Hello') }, { signal: abort.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    while (!received.includes(`"thread.item.added"`) || !received.endsWith('\n\n') || (delta !== null && !received.includes(delta))) {
      received += decoder.decode((await reader.read()).value ?? new Uint8Array());
    }
    const threadId = createdId(parseEvents(received));
    const ended = service.leads.nextSignal(threadId);
    abort.abort();
    await ended;
    return threadId;
  }

  const pendingItem = (content: AssistantMessageItem['content']): AssistantMessageItem => ({
    id: 'cthi_assistant_pending',
    thread_id: 'set-by-the-test',
    created_at: nextTime(),
    type: 'assistant_message',
    content,
  });

  it('when the visitor cancels mid-answer, then the partial message is kept as streamed and a hidden note tells the next turn', async () => {
    const threadId = await cancelAfterStreaming(pendingItem([{ type: 'output_text', text: 'Hello, ', annotations: [] }]), 'World!');
    const last = (await service.store.listItems(threadId, { limit: 1, order: 'desc' })).data[0];
    expect(last).toMatchObject({
      type: 'sdk_hidden_context',
      content: 'The user cancelled the stream. Stop responding to the prior request.',
    });
    const partial = await service.store.loadItem(threadId, 'cthi_assistant_pending');
    expect(partial?.type).toBe('assistant_message');
    expect(text(partial ?? undefined)).toBe('Hello, World!');
  });

  it('when the visitor cancels before any text, then the empty message is not kept, the hidden note is', async () => {
    const threadId = await cancelAfterStreaming(pendingItem([]), null);
    const last = (await service.store.listItems(threadId, { limit: 1, order: 'desc' })).data[0];
    expect(last).toMatchObject({ type: 'sdk_hidden_context' });
    expect(await service.store.loadItem(threadId, 'cthi_assistant_pending')).toBeNull();
  });
});

describe('threads.retry_after_item', () => {
  it('when the visitor retries after their message, then respond gets the same message, and the new answer replaces the old', async () => {
    script = async function* (thread) {
      yield done(assistant(thread, `cthi_answer_${calls.length}`, calls.length === 1 ? 'First response' : 'Retried response'));
    };
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Hello, world!') })).events);
    const before = (await visitor.listItems(threadId)).data;
    expect(before.map(text)).toEqual(['First response', 'Hello, world!']);
    const retry = await visitor.stream('threads.retry_after_item', { thread_id: threadId, item_id: before[1]?.id });
    expect(retry.events.map((e) => e.type)).toEqual(['stream_options', 'thread.item.done']);
    expect(text(itemsFromStream(retry.events)[0])).toBe('Retried response');
    expect(calls).toHaveLength(2);
    expect(calls[1]?.input).toEqual(calls[0]?.input);
    expect((await visitor.listItems(threadId)).data.map(text)).toEqual(['Retried response', 'Hello, world!']);
  });

  it('when the item is an answer, not a user message, then 400 invalid_request and nothing is dropped', async () => {
    script = async function* (thread) {
      yield done(assistant(thread, 'cthi_response', 'Response'));
    };
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('Hello') })).events);
    const message = await expectJsonError(
      await visitor.request('threads.retry_after_item', { thread_id: threadId, item_id: 'cthi_response' }),
      400,
      'invalid_request',
    );
    expect(message).toContain('user message');
    expect((await visitor.listItems(threadId)).data).toHaveLength(2);
  });

  it('when a thread has several messages and the visitor retries after the second, then only the answer after it is replaced', async () => {
    script = async function* (thread, input) {
      yield done(assistant(thread, `cthi_answer_${calls.length}`, `Response to: ${text(input)}`));
    };
    const visitor = await service.visitor();
    const threadId = createdId((await visitor.stream('threads.create', { input: userInput('First message') })).events);
    await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('Second message') });
    const before = (await visitor.listItems(threadId)).data;
    expect(before).toHaveLength(4);
    const retry = await visitor.stream('threads.retry_after_item', { thread_id: threadId, item_id: before[1]?.id });
    expect(retry.events.map((e) => e.type)).toEqual(['stream_options', 'thread.item.done']);
    expect(calls).toHaveLength(3);
    expect(text(calls[2]?.input)).toBe('Second message');
    const after = (await visitor.listItems(threadId)).data;
    expect(after.map((item) => [item.type, text(item)])).toEqual([
      ['assistant_message', 'Response to: Second message'],
      ['user_message', 'Second message'],
      ['assistant_message', 'Response to: First message'],
      ['user_message', 'First message'],
    ]);
    expect(after[0]?.id).not.toBe(before[0]?.id);
    expect(after.slice(1)).toEqual(before.slice(1));
  });
});
