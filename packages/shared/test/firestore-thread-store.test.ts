import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Firestore } from '@google-cloud/firestore';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';
import type { AssistantMessageItem, ThreadItem, UserMessageItem } from '../src/chatkit/index.js';
import { FirestoreThreadStore, ThreadStoreNotFound, allItems, type StoredThread } from '../src/thread-store/index.js';

let db: Firestore;
let store: FirestoreThreadStore;
const retentionMs = 90 * 24 * 3600 * 1000;

beforeAll(() => {
  db = localFirestoreClient(useProvided('firestore'));
  store = new FirestoreThreadStore(db, { collection: `threads_${randomUUID().slice(0, 8)}`, retentionMs });
});
afterAll(async () => {
  await db.terminate();
});

const thread = (owner: string, at = Date.now()): StoredThread => ({
  id: store.generateThreadId(),
  title: null,
  created_at: new Date(at).toISOString(),
  status: { type: 'active' },
  metadata: {},
  owner,
  userMessageCount: 0,
});

const userItem = (threadId: string, text: string): UserMessageItem => ({
  id: store.generateItemId(),
  thread_id: threadId,
  created_at: new Date().toISOString(),
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

const assistantItem = (threadId: string, text: string): AssistantMessageItem => ({
  id: store.generateItemId(),
  thread_id: threadId,
  created_at: new Date().toISOString(),
  type: 'assistant_message',
  content: [{ type: 'output_text', text, annotations: [] }],
});

describe('FirestoreThreadStore', () => {
  it('when a thread is created, then its ids carry the cthr_/cthi_ prefixes and it loads back with its owner', async () => {
    const t = thread('anon_owner_one');
    expect(t.id).toMatch(/^cthr_[A-Za-z0-9_-]+$/);
    expect(store.generateItemId()).toMatch(/^cthi_[A-Za-z0-9_-]+$/);
    await store.createThread(t);
    expect(await store.loadThread(t.id)).toEqual(t);
    expect(await store.loadThread('cthr_missing')).toBeNull();
  });

  it('when items are added, then they come back exactly as written, in order, and user messages are counted', async () => {
    const t = thread('anon_owner_two');
    await store.createThread(t);
    const written: ThreadItem[] = [];
    for (let i = 0; i < 7; i += 1) {
      const item = i % 2 === 0 ? userItem(t.id, `customer ${i}`) : assistantItem(t.id, `assistant ${i}`);
      written.push(item);
      await store.addItem(t.id, item);
    }
    const all: ThreadItem[] = [];
    for await (const item of allItems(store, t.id, 3)) all.push(item);
    expect(all).toEqual(written);
    expect((await store.loadThread(t.id))?.userMessageCount).toBe(4);
  });

  it('when items are paged in both directions, then pages, has_more and after follow the protocol', async () => {
    const t = thread('anon_owner_three');
    await store.createThread(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const item = userItem(t.id, `m${i}`);
      ids.push(item.id);
      await store.addItem(t.id, item);
    }
    const asc1 = await store.listItems(t.id, { limit: 2, order: 'asc' });
    expect(asc1.data.map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(asc1).toMatchObject({ has_more: true, after: ids[1] });
    const asc2 = await store.listItems(t.id, { limit: 2, order: 'asc', after: asc1.after });
    expect(asc2.data.map((i) => i.id)).toEqual(ids.slice(2, 4));
    const asc3 = await store.listItems(t.id, { limit: 2, order: 'asc', after: asc2.after });
    expect(asc3).toEqual({ data: [expect.objectContaining({ id: ids[4] })], has_more: false, after: null });

    const desc1 = await store.listItems(t.id, { limit: 3, order: 'desc' });
    expect(desc1.data.map((i) => i.id)).toEqual([ids[4], ids[3], ids[2]]);
    const desc2 = await store.listItems(t.id, { limit: 3, order: 'desc', after: desc1.after });
    expect(desc2.data.map((i) => i.id)).toEqual([ids[1], ids[0]]);
    expect(desc2.has_more).toBe(false);

    await expect(store.listItems(t.id, { limit: 2, order: 'asc', after: 'cthi_nope' })).rejects.toBeInstanceOf(ThreadStoreNotFound);
  });

  it('when an item is replaced or deleted, then the thread reflects it without moving the others', async () => {
    const t = thread('anon_owner_four');
    await store.createThread(t);
    const a = userItem(t.id, 'a');
    const b = assistantItem(t.id, 'b');
    const c = userItem(t.id, 'c');
    for (const item of [a, b, c]) await store.addItem(t.id, item);
    const b2 = { ...b, content: [{ type: 'output_text' as const, text: 'b, edited', annotations: [] }] };
    await store.saveItem(t.id, b2);
    expect((await store.listItems(t.id, { limit: 10, order: 'asc' })).data).toEqual([a, b2, c]);
    await store.deleteItem(t.id, b.id);
    expect((await store.listItems(t.id, { limit: 10, order: 'asc' })).data).toEqual([a, c]);
    expect(await store.loadItem(t.id, b.id)).toBeNull();
  });

  it("when threads are listed, then only the owner's come back, newest first by default, paged", async () => {
    const owner = `anon_${randomUUID().replaceAll('-', '')}`;
    const base = Date.now() - 10_000;
    const mine = [thread(owner, base), thread(owner, base + 1000), thread(owner, base + 2000)];
    for (const t of mine) await store.createThread(t);
    await store.createThread(thread('anon_somebody_else', base + 500));

    const first = await store.listThreads(owner, { limit: 2, order: 'desc' });
    expect(first.data.map((t) => t.id)).toEqual([mine[2]?.id, mine[1]?.id]);
    expect(first.has_more).toBe(true);
    const second = await store.listThreads(owner, { limit: 2, order: 'desc', after: first.after });
    expect(second.data.map((t) => t.id)).toEqual([mine[0]?.id]);
    expect(second.has_more).toBe(false);
    const asc = await store.listThreads(owner, { limit: 10, order: 'asc' });
    expect(asc.data.map((t) => t.id)).toEqual(mine.map((t) => t.id));
  });

  it('when threads and messages are written under their caps, then places run out exactly at the cap, and the listings never show a place', async () => {
    const owner = `anon_${randomUUID().replaceAll('-', '')}`;
    const day = '2026-12-07';
    const started: boolean[] = [];
    const threads: StoredThread[] = [];
    for (let i = 0; i < 3; i += 1) {
      const t = thread(owner);
      threads.push(t);
      started.push(await store.createThreadWithinDailyCap(t, userItem(t.id, `hi ${i}`), { day, max: 2 }));
    }
    expect(started).toEqual([true, true, false]);
    expect(await store.loadThread(threads[2]!.id)).toBeNull();
    expect(await store.threadsStartedOn(owner, day)).toBe(2);
    expect(await store.threadsStartedOn(owner, '2026-12-08')).toBe(0);
    expect((await store.listThreads(owner, { limit: 10, order: 'asc' })).data.map((t) => t.id)).toEqual(
      threads.slice(0, 2).map((t) => t.id),
    );

    const first = threads[0]!;
    const added: boolean[] = [];
    for (let i = 0; i < 3; i += 1) {
      const current = (await store.loadThread(first.id))!;
      added.push(await store.addUserMessageWithinCap(current, userItem(first.id, `more ${i}`), 3));
    }
    expect(added).toEqual([true, true, false]);
    expect((await store.loadThread(first.id))?.userMessageCount).toBe(3);
    // A stale count (another instance wrote meanwhile) still finds the next free place, and the cap.
    expect(await store.addUserMessageWithinCap({ ...first, userMessageCount: 0 }, userItem(first.id, 'stale'), 4)).toBe(true);
    expect(await store.addUserMessageWithinCap({ ...first, userMessageCount: 0 }, userItem(first.id, 'over'), 4)).toBe(false);
    const items = await store.listItems(first.id, { limit: 10, order: 'asc' });
    expect(items.data.map((item) => (item as UserMessageItem).content[0]?.text)).toEqual(['hi 0', 'more 0', 'more 1', 'stale']);
    await store.deleteThread(first.id);
    expect((await db.collection(store['threads'].id).doc(first.id).collection('slots').get()).size).toBe(0);
  });

  it('when a thread is deleted or its title changes, then reads reflect it', async () => {
    const t = thread('anon_owner_five');
    await store.createThread(t);
    await store.addItem(t.id, userItem(t.id, 'hello'));
    await store.updateThread({ ...t, title: 'Seat repair' });
    expect((await store.loadThread(t.id))?.title).toBe('Seat repair');
    await store.deleteThread(t.id);
    expect(await store.loadThread(t.id)).toBeNull();
    expect((await store.listItems(t.id, { limit: 10, order: 'asc' })).data).toEqual([]);
  });

  it('when a thread and its items are written, then each document carries an expiresAt for the TTL policy', async () => {
    const t = thread('anon_owner_six');
    await store.createThread(t);
    const item = userItem(t.id, 'ttl');
    await store.addItem(t.id, item);
    const threadDoc = await db.collection(store['threads'].id).doc(t.id).get();
    const itemDoc = await threadDoc.ref.collection('items').doc(item.id).get();
    for (const doc of [threadDoc, itemDoc]) {
      const expiresAt = doc.get('expiresAt') as { toMillis(): number };
      expect(expiresAt.toMillis()).toBeGreaterThan(Date.now() + retentionMs - 60_000);
    }
  });
});
