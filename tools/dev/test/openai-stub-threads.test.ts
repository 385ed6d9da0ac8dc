import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI, { AuthenticationError, BadRequestError, InternalServerError, NotFoundError } from 'openai';
import { describe, expect, it } from 'vitest';
import {
  assistantMessage,
  makeThread,
  startOpenAIStub,
  taskItem,
  userMessage,
  widgetItem,
  type ConversationFixture,
  type ThreadItem,
} from '../src/openai-stub/server.js';
import { CHATKIT_ITEM_TYPES, useOpenAIStub } from './support/openai-stub-under-test.js';

const THREAD = 'GET /v1/chatkit/threads/{thread_id}';
const ITEMS = 'GET /v1/chatkit/threads/{thread_id}/items';
const LONG = 'cthr_fixture_long_conversation_en';

const harness = useOpenAIStub({
  reset: (stub) => {
    for (const t of stub.threads.list()) if (!t.thread.id.startsWith('cthr_fixture_')) stub.threads.delete(t.thread.id);
  },
});
const client = harness.client.bind(harness);

function fixture(name: string): ConversationFixture {
  const found = harness.stub.fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

async function listAll(threadId: string, query: OpenAI.Beta.ChatKit.ThreadListItemsParams = {}): Promise<ThreadItem[]> {
  const out: ThreadItem[] = [];
  for await (const item of client().beta.chatkit.threads.listItems(threadId, query)) out.push(item);
  return out;
}

function itemRequests() {
  return harness.stub.requests.filter((r) => r.route === ITEMS);
}

describe('GET /v1/chatkit/threads/{thread_id} through the openai SDK', () => {
  it('when a fixture thread is retrieved, then the SDK gets the chatkit.thread exactly as in the fixture', async () => {
    const f = fixture('seat_tear_en');
    const thread = await client().beta.chatkit.threads.retrieve(f.thread.id);
    expect(thread).toEqual(f.thread);
    expect(thread).toMatchObject({ object: 'chatkit.thread', status: { type: 'active' } });
    expect(Object.keys(thread).sort()).toEqual(['created_at', 'id', 'object', 'status', 'title', 'user']);
  });

  it('when an unknown thread is retrieved, then the SDK throws NotFoundError naming the id', async () => {
    const err = await client().beta.chatkit.threads.retrieve('cthr_nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).message).toContain("cthr_nope");
    expect((err as NotFoundError).error).toMatchObject({ type: 'invalid_request_error', param: 'thread_id' });
  });

  it('when the OpenAI-Beta header is missing, then the stub answers 400 invalid_beta', async () => {
    const res = await fetch(`${harness.stub.baseURL}/chatkit/threads/${LONG}`, { headers: { authorization: 'Bearer sk-test' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_beta' } });
  });

  it('when the bearer key is missing, then the SDK-side caller gets 401', async () => {
    const res = await fetch(`${harness.stub.baseURL}/chatkit/threads/${LONG}/items`, { headers: { 'openai-beta': 'chatkit_beta=v1' } });
    expect(res.status).toBe(401);
    const sdk = new OpenAI({ apiKey: 'not-a-key', baseURL: harness.stub.baseURL, maxRetries: 0 });
    await expect(sdk.beta.chatkit.threads.listItems(LONG).then((p) => p.data)).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('GET /v1/chatkit/threads/{thread_id}/items pagination', () => {
  it('when items are walked in asc order 3 at a time, then every page is fetched and the items equal the fixture', async () => {
    const f = fixture('long_conversation_en');
    expect(f.items.length).toBeGreaterThan(45);

    const items = await listAll(LONG, { order: 'asc', limit: 3 });

    expect(items).toEqual(f.items);
    const requests = itemRequests();
    expect(requests).toHaveLength(Math.ceil(f.items.length / 3));
    expect(requests[0]?.query).toEqual({ order: 'asc', limit: '3' });
    requests.slice(1).forEach((r, i) => expect(r.query['after']).toBe(f.items[(i + 1) * 3 - 1]?.id));
  });

  it('when items are walked in desc order, then they come newest first and equal the reversed fixture', async () => {
    const f = fixture('long_conversation_en');
    const items = await listAll(LONG, { order: 'desc', limit: 7 });
    expect(items).toEqual([...f.items].reverse());
  });

  it('when no order or limit is given, then pages hold 20 items newest first (desc, like the real API)', async () => {
    const f = fixture('long_conversation_en');
    const page = await client().beta.chatkit.threads.listItems(LONG);
    expect(page.data).toHaveLength(20);
    expect(page.data[0]).toEqual(f.items.at(-1));
    expect(page.has_more).toBe(true);
    const raw = await fetch(`${harness.stub.baseURL}/chatkit/threads/${LONG}/items`, {
      headers: { authorization: 'Bearer sk-test', 'openai-beta': 'chatkit_beta=v1' },
    });
    expect(await raw.json()).toMatchObject({
      object: 'list',
      first_id: f.items.at(-1)?.id,
      last_id: f.items.at(-20)?.id,
      has_more: true,
    });
    expect(await listAll(LONG)).toHaveLength(f.items.length);
    expect(itemRequests()).toHaveLength(2 + Math.ceil(f.items.length / 20));
  });

  it('when the last page is reached, then has_more is false and the SDK stops', async () => {
    const f = fixture('seat_tear_en');
    const page = await client().beta.chatkit.threads.listItems(f.thread.id, { order: 'asc', limit: 100 });
    expect(page.data).toEqual(f.items);
    expect(page.has_more).toBe(false);
    expect(page.hasNextPage()).toBe(false);
  });

  it('when `before` is given, then the page holds the items just before that cursor', async () => {
    const f = fixture('long_conversation_en');
    const cursor = f.items[10]?.id ?? '';
    const page = await client().beta.chatkit.threads.listItems(LONG, { order: 'asc', limit: 4, before: cursor });
    expect(page.data.map((i) => i.id)).toEqual(f.items.slice(6, 10).map((i) => i.id));
    expect(page.has_more).toBe(true);
  });

  it('when limit is out of range, order is unknown or the cursor is unknown, then the SDK throws BadRequestError', async () => {
    const sdk = client();
    for (const [query, param] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ order: 'sideways' }, 'order'],
      [{ after: 'cthi_missing' }, 'after'],
    ] as const) {
      const err = await sdk.beta.chatkit.threads
        .listItems(LONG, query as OpenAI.Beta.ChatKit.ThreadListItemsParams)
        .then((p) => p.data)
        .catch((e: unknown) => e);
      expect(err, JSON.stringify(query)).toBeInstanceOf(BadRequestError);
      expect((err as BadRequestError).param).toBe(param);
    }
  });

  it('when the items of an unknown thread are listed, then the SDK throws NotFoundError', async () => {
    await expect(listAll('cthr_unknown_thread')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when a thread holds widget, task, task group and tool call items, then they are listed with their types', async () => {
    const f = fixture('widget_task_items_en');
    const items = await listAll(f.thread.id, { order: 'asc' });
    expect(items.map((i) => i.type)).toEqual(f.items.map((i) => i.type));
    expect(new Set(items.map((i) => i.type))).toEqual(
      CHATKIT_ITEM_TYPES,
    );
    const userTexts = items.flatMap((i) =>
      i.type === 'chatkit.user_message' ? i.content.map((c) => c.text) : [],
    );
    expect(userTexts.join('\n')).not.toContain('555-0142');
  });

  it('when a fixture has attachments, then images carry preview URLs and files may not', async () => {
    const items = await listAll('cthr_fixture_attachments_photos_en', { order: 'asc' });
    const attachments = items.flatMap((i) => (i.type === 'chatkit.user_message' ? i.attachments : []));
    expect(attachments).toHaveLength(4);
    for (const a of attachments) {
      if (a.type === 'image') expect(a.preview_url).toMatch(/^https:\/\/files\.example\.com\//);
      else expect(a).toMatchObject({ type: 'file', mime_type: 'application/pdf', preview_url: null });
    }
  });
});

describe('fault injection on the thread routes', () => {
  it('when a 500 is injected on the items route, then listItems throws InternalServerError and the retry works', async () => {
    harness.stub.injectFault({ route: ITEMS, kind: 'status', status: 500 });
    await expect(listAll(LONG)).rejects.toBeInstanceOf(InternalServerError);
    expect(await listAll(LONG)).toHaveLength(fixture('long_conversation_en').items.length);
    expect(itemRequests()[0]).toMatchObject({ fault: 'status', status: 500 });
  });

  it('when a fault hits the second page, then the walk fails there and getNextPage can be retried', async () => {
    const first = await client().beta.chatkit.threads.listItems(LONG, { order: 'asc', limit: 10 });
    harness.stub.injectFault({ route: ITEMS, kind: 'status', status: 503 });
    await expect(first.getNextPage()).rejects.toBeInstanceOf(InternalServerError);
    const second = await first.getNextPage();
    expect(second.data[0]).toEqual(fixture('long_conversation_en').items[10]);
  });

  it('when a fault targets the thread route, then listing items is unaffected', async () => {
    harness.stub.injectFault({ route: THREAD, kind: 'status', status: 500, times: 'always' });
    await expect(client().beta.chatkit.threads.retrieve(LONG)).rejects.toBeInstanceOf(InternalServerError);
    expect((await client().beta.chatkit.threads.listItems(LONG)).data).toHaveLength(20);
  });

  it('when a malformed body is injected on the items route, then the SDK throws instead of returning a page', async () => {
    harness.stub.injectFault({ route: ITEMS, kind: 'malformed', body: '{"object":"list","data":[' });
    await expect(client().beta.chatkit.threads.listItems(LONG)).rejects.toThrow();
  });

  it('when the new routes are listed, then faults accept them by name', () => {
    expect(harness.stub.routes).toEqual(expect.arrayContaining([THREAD, ITEMS, 'POST /v1/responses']));
  });
});

describe('threads from code', () => {
  it('when makeThread builds a thread, then ids and created_at are monotonic and the SDK reads it back', async () => {
    const built = makeThread(
      'cthr_code_1',
      [
        assistantMessage('Hi! How can we help?'),
        userMessage('My headliner is sagging', { attachments: ['roof.jpg', { name: 'invoice.pdf' }] }),
        widgetItem({ type: 'Card', children: [] }),
        taskItem('Thinking', null),
        userMessage('call me at 408-555-0150'),
      ],
      { createdAt: 1_800_000_000, stepSeconds: 10, title: 'Headliner', user: 'anon_code_user1' },
    );
    expect(built.items.map((i) => i.id)).toEqual([1, 2, 3, 4, 5].map((n) => `cthi_code_1_00${n}`));
    expect(built.items.map((i) => i.created_at)).toEqual([10, 20, 30, 40, 50].map((s) => 1_800_000_000 + s));
    const message = built.items[1];
    expect(message?.type === 'chatkit.user_message' && message.attachments).toEqual([
      expect.objectContaining({ name: 'roof.jpg', type: 'image', mime_type: 'image/jpeg', preview_url: expect.stringMatching(/^https:/) }),
      expect.objectContaining({ name: 'invoice.pdf', type: 'file', mime_type: 'application/pdf', preview_url: null }),
    ]);

    harness.stub.threads.put(built);
    expect(await client().beta.chatkit.threads.retrieve('cthr_code_1')).toEqual(built.thread);
    expect(await listAll('cthr_code_1', { order: 'asc', limit: 2 })).toEqual(built.items);
  });

  it('when items are appended, then they come after the existing ones with later ids and timestamps', async () => {
    harness.stub.threads.put(makeThread('cthr_code_2', [userMessage('My boat seats are cracked')], { createdAt: 1_700_000_000 }));
    const added = harness.stub.threads.appendItems('cthr_code_2', [
      assistantMessage('We can help! Best number?'),
      userMessage('sure, 408-555-0151'),
    ]);
    expect(added.map((i) => i.id)).toEqual(['cthi_code_2_002', 'cthi_code_2_003']);

    const items = await listAll('cthr_code_2', { order: 'asc' });
    expect(items.map((i) => i.id)).toEqual(['cthi_code_2_001', 'cthi_code_2_002', 'cthi_code_2_003']);
    const times = items.map((i) => i.created_at);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(times[1]).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 1);
    expect(() => harness.stub.threads.appendItems('cthr_missing', [])).toThrow(/No thread found/);
  });

  it('when a thread is read with get, then the copy is detached from the store', () => {
    harness.stub.threads.put({ thread: { id: 'cthr_code_3' }, items: [userMessage('hello')] });
    const copy = harness.stub.threads.get('cthr_code_3');
    expect(copy?.thread).toMatchObject({ object: 'chatkit.thread', status: { type: 'active' }, title: null });
    copy?.items.pop();
    expect(harness.stub.threads.get('cthr_code_3')?.items).toHaveLength(1);
  });

  it('when put gets an invalid item or thread id, then it throws and stores nothing', () => {
    expect(() =>
      harness.stub.threads.put({ thread: { id: 'cthr_code_4' }, items: [{ type: 'chatkit.user_message', content: [] } as never] }),
    ).toThrow(/Invalid thread/);
    expect(() => harness.stub.threads.put({ thread: { id: 'not-a-thread' } })).toThrow(/cthr_/);
    expect(harness.stub.threads.has('cthr_code_4')).toBe(false);
  });

  it('when threads are cleared, then even fixtures are gone until a new stub starts', async () => {
    const other = await startOpenAIStub();
    try {
      expect(other.threads.list().length).toBe(other.fixtures.length);
      other.threads.clear();
      expect(other.threads.list()).toEqual([]);
      const sdk = new OpenAI({ apiKey: 'sk-test', baseURL: other.baseURL, maxRetries: 0 });
      await expect(sdk.beta.chatkit.threads.retrieve(LONG)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await other.close();
    }
  });
});

describe('fixture loading options', () => {
  it('when fixtures is false, then no thread is served', async () => {
    const bare = await startOpenAIStub({ fixtures: false });
    try {
      expect(bare.fixtures).toEqual([]);
      expect(bare.threads.list()).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  it('when fixtures names a directory, then exactly its files are loaded', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'stub-fixtures-'));
    try {
      const source = fixture('greeting_only_en');
      const json = JSON.parse(await readFile(source.file, 'utf8')) as Record<string, unknown>;
      await writeFile(path.join(dir, 'greeting_only_en.json'), JSON.stringify(json));
      const custom = await startOpenAIStub({ fixtures: dir });
      try {
        expect(custom.fixtures.map((f) => f.name)).toEqual(['greeting_only_en']);
        expect(custom.threads.list().map((t) => t.thread.id)).toEqual(['cthr_fixture_greeting_only_en']);
      } finally {
        await custom.close();
      }
      await writeFile(path.join(dir, 'broken.json'), JSON.stringify({ ...json, items: [] }));
      await expect(startOpenAIStub({ fixtures: dir })).rejects.toThrow(/broken\.json/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('thread control endpoints over HTTP', () => {
  const control = (p: string, init: RequestInit = {}) =>
    fetch(`${harness.stub.url}/__stub${p}`, { ...init, headers: { 'content-type': 'application/json' } });

  it('when a thread is PUT with draft items, then the SDK reads it and GET /__stub/threads lists it', async () => {
    const res = await control('/threads/cthr_http_1', {
      method: 'PUT',
      body: JSON.stringify({
        thread: { title: 'From curl', user: 'anon_curl_user' },
        items: [
          { type: 'chatkit.user_message', content: [{ type: 'input_text', text: 'My seat is torn' }] },
          { type: 'chatkit.assistant_message', content: [{ type: 'output_text', text: 'Phone number?' }] },
        ],
        summary: { handoff_ready: false },
      }),
    });
    expect(res.status).toBe(200);
    const stored = (await res.json()) as { items: ThreadItem[] };
    expect(stored.items.map((i) => i.id)).toEqual(['cthi_http_1_001', 'cthi_http_1_002']);

    const thread = await client().beta.chatkit.threads.retrieve('cthr_http_1');
    expect(thread).toMatchObject({ title: 'From curl', user: 'anon_curl_user' });
    const items = await listAll('cthr_http_1', { order: 'asc' });
    expect(items[0]).toMatchObject({ type: 'chatkit.user_message', attachments: [], inference_options: null });

    const appended = await control('/threads/cthr_http_1/items', {
      method: 'POST',
      body: JSON.stringify({ items: [{ type: 'chatkit.user_message', content: [{ type: 'input_text', text: '408-555-0152' }] }] }),
    });
    expect(appended.status).toBe(201);
    expect(await listAll('cthr_http_1')).toHaveLength(3);

    const list = (await (await control('/threads')).json()) as { data: Array<{ thread: { id: string }; item_count: number; has_summary: boolean }> };
    expect(list.data.find((t) => t.thread.id === 'cthr_http_1')).toMatchObject({ item_count: 3, has_summary: true });
    expect(list.data.filter((t) => t.thread.id.startsWith('cthr_fixture_'))).toHaveLength(harness.stub.fixtures.length);

    expect((await control('/threads/cthr_http_1', { method: 'DELETE' })).status).toBe(204);
    await expect(client().beta.chatkit.threads.retrieve('cthr_http_1')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when a PUT body is invalid or names another id, then the stub answers 400 and stores nothing', async () => {
    const bad = await control('/threads/cthr_http_2', {
      method: 'PUT',
      body: JSON.stringify({ items: [{ type: 'chatkit.nonsense' }] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_thread' } });
    const mismatch = await control('/threads/cthr_http_2', { method: 'PUT', body: JSON.stringify({ thread: { id: 'cthr_other' }, items: [] }) });
    expect(mismatch.status).toBe(400);
    expect(harness.stub.threads.has('cthr_http_2')).toBe(false);
  });
});
