/**
 * The store conformance suite of the reference server (openai/chatkit-python
 * `tests/test_store.py`, class `TestStore`), run against our Firestore thread store. Each case
 * gets a collection of its own, as the reference gives each a fresh database.
 *
 * Where our port deliberately differs from the reference's `Store`:
 * - No attachments (`save_attachment` / `load_attachment`): this chat has no attachment store
 *   and refuses attachments (the file and image cases do not apply).
 * - No request context: ownership is a field of the thread (`owner`), checked by the ChatKit
 *   server before any read (services/session chatkit-access.test.ts: another visitor's thread is
 *   not found, for every request type). The isolation cases check what the store gives the server
 *   to do that: the owner on every thread, and per-owner thread lists.
 * - `loadItem` answers null for an unknown item where the reference raises NotFoundError.
 * - Threads are created once (`createThread`, with their first item in one write) and updated
 *   (`updateThread`) where the reference has one `save_thread`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import type { AssistantMessageItem, ThreadItem, UserMessageItem } from '../src/chatkit/index.js';
import { FirestoreThreadStore, type StoredThread } from '../src/thread-store/index.js';

let db: Firestore;
let store: FirestoreThreadStore;

beforeAll(() => {
  db = localFirestoreClient(useProvided('firestore'));
});
beforeEach(() => {
  store = new FirestoreThreadStore(db, { collection: `conformance_${randomUUID().slice(0, 8)}`, retentionMs: 86_400_000 });
});
afterAll(async () => {
  await db.terminate();
});

const OWNER = 'anon_test_user';
const OTHER = 'anon_alternative_user';
const at = (base: number, seconds: number) => new Date(base + seconds * 1000).toISOString();

const makeThread = (id = 'test_thread', createdAt = new Date().toISOString(), title: string | null = 'Test Thread'): StoredThread => ({
  id,
  title,
  created_at: createdAt,
  status: { type: 'active' },
  metadata: { test: 'test' },
  owner: OWNER,
  userMessageCount: 0,
});

const userMessage = (id: string, text: string, createdAt: string, threadId = 'test_thread'): UserMessageItem => ({
  id,
  thread_id: threadId,
  created_at: createdAt,
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/** The reference's `make_thread_items`: a user message with an attachment, an assistant message, a widget. */
function makeThreadItems(): ThreadItem[] {
  const now = Date.now();
  return [
    {
      ...userMessage('msg_100000', 'Hello!', at(now, 0)),
      attachments: [{ id: 'file_1', type: 'file', mime_type: 'text/plain', name: 'test.txt', metadata: { source: 'test' } }],
    },
    {
      id: 'msg_000001',
      thread_id: 'test_thread',
      created_at: at(now, 1),
      type: 'assistant_message',
      content: [{ type: 'output_text', text: 'Hi there!', annotations: [] }],
    },
    {
      id: 'widget_1',
      thread_id: 'test_thread',
      created_at: at(now, 2),
      type: 'widget',
      widget: {
        type: 'Card',
        children: [
          {
            type: 'Col',
            children: [
              { type: 'Text', value: 'Title' },
              { type: 'Text', value: 'test' },
            ],
          },
        ],
      },
    },
  ];
}

describe('thread store conformance (chatkit-python TestStore)', () => {
  it('when a thread is saved, then it loads back with its id, title and metadata', async () => {
    const thread = makeThread();
    await store.createThread(thread);
    const loaded = await store.loadThread(thread.id);
    expect(loaded).toMatchObject({ id: thread.id, title: 'Test Thread', metadata: { test: 'test' } });
  });

  it('when a thread without a title is saved, then it loads back with a null title', async () => {
    await store.createThread(makeThread('test_thread', undefined, null));
    const loaded = await store.loadThread('test_thread');
    expect(loaded?.title).toBeNull();
    expect(loaded?.metadata).toEqual({ test: 'test' });
  });

  it('when a thread is saved again with a new title, then the new title loads (update and overwrite)', async () => {
    const thread = makeThread();
    await store.createThread(thread);
    await store.updateThread({ ...thread, title: 'Updated Title' });
    expect((await store.loadThread(thread.id))?.title).toBe('Updated Title');
  });

  it('when items of several kinds are added, then they load back equal, in order', async () => {
    await store.createThread(makeThread());
    const items = makeThreadItems();
    for (const item of items) await store.addItem('test_thread', item);
    const loaded = await store.listItems('test_thread', { limit: 10, order: 'asc' });
    expect(loaded.data).toEqual(items);
  });

  it('when three threads are paged two at a time, then the pages follow creation order with has_more and after', async () => {
    const now = Date.now();
    for (const [i, id] of ['thread1', 'thread2', 'thread3'].entries()) await store.createThread(makeThread(id, at(now, i)));
    const page1 = await store.listThreads(OWNER, { limit: 2, order: 'asc' });
    expect(page1.data.map((t) => t.id)).toEqual(['thread1', 'thread2']);
    expect(page1).toMatchObject({ has_more: true, after: 'thread2' });
    const page2 = await store.listThreads(OWNER, { limit: 2, order: 'asc', after: page1.data.at(-1)?.id });
    expect(page2.data.map((t) => t.id)).toEqual(['thread3']);
    expect(page2).toMatchObject({ has_more: false, after: null });
  });

  it('when items are listed ascending and descending, then they come in creation order and its reverse', async () => {
    await store.createThread(makeThread());
    const now = Date.now();
    for (const [i, text] of ['A', 'B', 'C'].entries()) await store.addItem('test_thread', userMessage(`msg${i + 1}`, text, at(now, i)));
    const asc = await store.listItems('test_thread', { limit: 3, order: 'asc' });
    const desc = await store.listItems('test_thread', { limit: 3, order: 'desc' });
    expect(asc.data.map((i) => i.id)).toEqual(['msg1', 'msg2', 'msg3']);
    expect(desc.data.map((i) => i.id)).toEqual(['msg3', 'msg2', 'msg1']);
  });

  it('when items are listed after an item or up to a limit, then the page starts after it and says whether more follow', async () => {
    await store.createThread(makeThread());
    const now = Date.now();
    for (let i = 0; i < 5; i += 1) await store.addItem('test_thread', userMessage(`msg${i}`, String(i), at(now, i)));
    const after = await store.listItems('test_thread', { after: 'msg1', limit: 3, order: 'asc' });
    expect(after.data.map((i) => i.id)).toEqual(['msg2', 'msg3', 'msg4']);
    expect(after).toMatchObject({ has_more: false, after: null });
    const limited = await store.listItems('test_thread', { limit: 2, order: 'asc' });
    expect(limited.data.map((i) => i.id)).toEqual(['msg0', 'msg1']);
    expect(limited).toMatchObject({ has_more: true, after: 'msg1' });
  });

  it('when an item is saved again with new content, then the new content loads, in its place', async () => {
    await store.createThread(makeThread());
    const now = Date.now();
    const assistant: AssistantMessageItem = {
      id: 'msg_000001',
      thread_id: 'test_thread',
      created_at: at(now, 0),
      type: 'assistant_message',
      content: [],
    };
    const widget: ThreadItem = {
      id: 'widget_1',
      thread_id: 'test_thread',
      created_at: at(now, 1),
      type: 'widget',
      widget: { type: 'Card' },
    };
    await store.addItem('test_thread', assistant);
    await store.addItem('test_thread', widget);
    const saved = { ...assistant, content: [{ type: 'output_text' as const, text: 'This is an assistant message.', annotations: [] }] };
    await store.saveItem('test_thread', saved);
    expect(await store.loadItem('test_thread', assistant.id)).toEqual(saved);
    await store.saveItem('test_thread', widget);
    expect(await store.loadItem('test_thread', widget.id)).toMatchObject({ id: 'widget_1', type: 'widget' });
    expect((await store.listItems('test_thread', { limit: 10, order: 'asc' })).data.map((i) => i.id)).toEqual(['msg_000001', 'widget_1']);
  });

  it('when an item that does not exist is loaded, then nothing comes back', async () => {
    await store.createThread(makeThread());
    expect(await store.loadItem('test_thread', 'does_not_exist')).toBeNull();
  });

  it('when a thread belongs to one visitor, then it carries that owner and is in no other visitor’s list', async () => {
    await store.createThread(makeThread('user1_thread'));
    expect((await store.loadThread('user1_thread'))?.owner).toBe(OWNER);
    expect((await store.listThreads(OWNER, { limit: 10, order: 'desc' })).data.map((t) => t.id)).toEqual(['user1_thread']);
    expect((await store.listThreads(OTHER, { limit: 10, order: 'desc' })).data).toEqual([]);
  });

  it('when ids are generated, then they carry our prefixes and never repeat', () => {
    const threads = new Set(Array.from({ length: 50 }, () => store.generateThreadId()));
    const items = new Set(Array.from({ length: 50 }, () => store.generateItemId()));
    expect([...threads].every((id) => id.startsWith('cthr_'))).toBe(true);
    expect([...items].every((id) => id.startsWith('cthi_'))).toBe(true);
    expect([threads.size, items.size]).toEqual([50, 50]);
  });
});
