/**
 * Seeding conversation fixtures into our ChatKit thread store: the real `FirestoreThreadStore`
 * (`@lead-intake/shared`) on the local Firestore.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { allItems, FirestoreThreadStore, type ThreadStore } from '@lead-intake/shared';
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import {
  FIXTURE_OWNER,
  appendItems,
  assistantMessage,
  chatThread,
  loadConversationFixtures,
  seedFixtureThreads,
  seedThread,
  userMessage,
  withThreadId,
} from '../src/fixtures/index.js';
import { startFirestore } from '../src/firestore/start-firestore.js';
import { localFirestoreClient } from '../src/testing/firestore-client.js';

const local = await startFirestore({ preferReal: false });
const db = localFirestoreClient({ projectId: `fixtures-${randomUUID()}`, hostPort: local.hostPort });
const newStore = (): ThreadStore =>
  new FirestoreThreadStore(db, { collection: `chat_${randomUUID().slice(0, 8)}`, retentionMs: 86_400_000 });
const fixtures = await loadConversationFixtures();

afterAll(async () => {
  await db.terminate();
  await local.close();
});

const itemsOf = async (store: ThreadStore, threadId: string): Promise<ThreadItem[]> => {
  const out: ThreadItem[] = [];
  for await (const item of allItems(store, threadId)) out.push(item);
  return out;
};

describe('seedFixtureThreads', () => {
  it('when every fixture is seeded, then each is a cthr_fixture_<name> thread of anon_fixture_owner with exactly its items, in order', async () => {
    const store = newStore();
    const seeded = await seedFixtureThreads(store, fixtures);
    expect(seeded.map((t) => t.id)).toEqual(fixtures.map((f) => `cthr_fixture_${f.name}`));

    for (const fixture of fixtures) {
      const thread = await store.loadThread(fixture.thread.id);
      expect(thread).toMatchObject({ ...fixture.thread, owner: FIXTURE_OWNER });
      expect(thread?.userMessageCount).toBe(fixture.items.filter((i) => i.type === 'user_message').length);
      expect(await itemsOf(store, fixture.thread.id)).toEqual(fixture.items);
    }
    const listed = await store.listThreads(FIXTURE_OWNER, { limit: 100, order: 'asc' });
    expect(listed.data.map((t) => t.id).sort()).toEqual(fixtures.map((f) => f.thread.id).sort());
  });

  it('when seeded twice, then the second run replaces the threads (no duplicate items); with existing: skip it leaves them', async () => {
    const store = newStore();
    const [one] = fixtures;
    if (!one) throw new Error('no fixtures');
    await seedFixtureThreads(store, [one]);
    await seedFixtureThreads(store, [one]);
    expect(await itemsOf(store, one.thread.id)).toEqual(one.items);

    await appendItems(store, one.thread.id, [userMessage('one more')]);
    await seedFixtureThreads(store, [one], { existing: 'skip' });
    expect(await itemsOf(store, one.thread.id)).toHaveLength(one.items.length + 1);
  });

  it('when given another owner, then the threads are that visitor’s', async () => {
    const store = newStore();
    const [one] = fixtures;
    if (!one) throw new Error('no fixtures');
    await seedFixtureThreads(store, [one], { owner: 'anon_someone_else' });
    expect((await store.loadThread(one.thread.id))?.owner).toBe('anon_someone_else');
  });
});

describe('building threads for tests', () => {
  it('when a thread is built and seeded, then ids, thread ids and times follow the drafts, and appended items come after', async () => {
    const store = newStore();
    const built = chatThread(
      'cthr_built_1',
      [userMessage('Torn seat', { attachments: ['seat.jpg', 'quote.pdf'], quoted: 'We open at 8' }), assistantMessage('What car is it?')],
      { createdAtMs: Date.parse('2026-03-02T17:00:00Z'), stepSeconds: 30, title: 'Built' },
    );
    expect(built.thread).toEqual({
      id: 'cthr_built_1',
      title: 'Built',
      created_at: '2026-03-02T17:00:00.000Z',
      status: { type: 'active' },
    });
    expect(built.items.map((i) => [i.id, i.thread_id, i.created_at])).toEqual([
      ['cthi_built_1_001', 'cthr_built_1', '2026-03-02T17:00:30.000Z'],
      ['cthi_built_1_002', 'cthr_built_1', '2026-03-02T17:01:00.000Z'],
    ]);
    const [first] = built.items;
    expect(first).toMatchObject({ type: 'user_message', quoted_text: 'We open at 8', inference_options: {} });
    const attachments = first?.type === 'user_message' ? first.attachments : [];
    expect(attachments.map((a) => [a.type, a.mime_type, 'preview_url' in a])).toEqual([
      ['image', 'image/jpeg', true],
      ['file', 'application/pdf', false],
    ]);

    const copy = withThreadId(built, 'cthr_built_2');
    const stored = await seedThread(store, copy, { owner: 'anon_builder_1' });
    expect(stored).toMatchObject({ id: 'cthr_built_2', owner: 'anon_builder_1', userMessageCount: 1 });
    const [added] = await appendItems(store, 'cthr_built_2', [userMessage('2015 Civic, call 408-555-0187')]);
    const items = await itemsOf(store, 'cthr_built_2');
    expect(items.map((i) => i.id)).toEqual(['cthi_built_1_001', 'cthi_built_1_002', added?.id]);
    expect(items.every((i) => i.thread_id === 'cthr_built_2')).toBe(true);
    expect((await store.loadThread('cthr_built_2'))?.userMessageCount).toBe(2);
  });
});
