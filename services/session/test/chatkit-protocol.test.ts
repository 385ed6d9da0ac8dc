import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectJsonError, startTestService, type TestService } from './harness.js';
import { itemsFromStream, streamedText, userInput } from './chatkit-client.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});
beforeEach(() => {
  service.stub.clearFaults();
  service.stub.clearRequests();
});

describe('threads.create', () => {
  it('when a visitor starts a chat, then the events come in the reference order and what is stored equals what was streamed', async () => {
    const visitor = await service.visitor();
    const { events, status } = await visitor.stream('threads.create', { input: userInput('Hi, the driver seat of my truck is torn') });
    expect(status).toBe(200);
    const types = events.map((e) => (e.type === 'thread.item.updated' ? `${e.type}:${e.update.type}` : e.type));
    expect(types.slice(0, 5)).toEqual([
      'thread.created',
      'thread.item.done',
      'stream_options',
      'thread.item.added',
      'thread.item.updated:assistant_message.content_part.added',
    ]);
    expect(types.filter((t) => t.endsWith('text_delta')).length).toBeGreaterThan(1);
    expect(types.slice(-2)).toEqual(['thread.item.updated:assistant_message.content_part.done', 'thread.item.done']);

    const created = events[0];
    if (created?.type !== 'thread.created') throw new Error('no thread.created');
    const threadId = created.thread.id;
    expect(threadId).toMatch(/^cthr_/);
    const user = events[1];
    expect(user).toMatchObject({ type: 'thread.item.done', item: { type: 'user_message', thread_id: threadId } });

    const reply = streamedText(events);
    expect(reply.length).toBeGreaterThan(10);
    const streamedItems = itemsFromStream(events);
    expect(streamedItems.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    expect(streamedItems[1]).toMatchObject({ content: [{ type: 'output_text', text: reply }] });

    const stored = await visitor.allItems(threadId);
    expect(stored).toEqual(streamedItems);
    const thread = await visitor.getThread(threadId);
    expect(thread.items.data).toEqual(streamedItems);
    expect(thread.status).toEqual({ type: 'active' });
  });

  it('when the agent is called, then it gets the conversation and the server-computed shop clock and page context', async () => {
    const visitor = await service.visitor();
    await visitor.stream(
      'threads.create',
      { input: userInput('Are you open now?') },
      { 'x-chatkit-locale': 'es-MX', 'x-chatkit-page-url': 'https://shop.example/es/' },
    );
    const call = service.stub.requests.find((r) => r.route === 'POST /v1/responses');
    const body = call?.body as {
      instructions: string;
      input: { role: string }[];
      stream: boolean;
      store: boolean;
      temperature: number;
      max_output_tokens: number;
    };
    expect(body.stream).toBe(true);
    expect(body.store).toBe(false);
    expect(body.temperature).toBe(0.3);
    expect(body.max_output_tokens).toBe(400);
    for (const key of [
      'locale: "es"',
      'page_url: "https://shop.example/es/"',
      `shop_timezone: "${service.shop.timezone}"`,
      'shop_is_open_now: ',
      'shop_local_weekday: "',
      'shop_local_time_24h: "',
      'shop_next_open_day: "',
      'shop_hours_today: "',
      `shop_name: ${JSON.stringify(service.shop.name)}`,
      'shop_phone: "',
    ]) {
      expect(body.instructions).toContain(key);
    }
    expect(body.input.map((m) => m.role)).toEqual(['user']);
  });
});

describe('threads.add_user_message and retry_after_item', () => {
  it('when the visitor answers, then the agent sees the whole conversation and the thread grows in order', async () => {
    const visitor = await service.visitor();
    const first = await visitor.stream('threads.create', { input: userInput('My convertible top leaks') });
    const threadId = (first.events[0] as { thread: { id: string } }).thread.id;
    service.stub.clearRequests();
    const second = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('It is a 2015 Mazda Miata') });
    expect(second.events[0]).toMatchObject({ type: 'thread.item.done', item: { type: 'user_message' } });
    const input = (service.stub.requests[0]?.body as { input: { role: string }[] }).input;
    expect(input.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    const items = await visitor.allItems(threadId);
    expect(items.map((i) => i.type)).toEqual(['user_message', 'assistant_message', 'user_message', 'assistant_message']);
    expect(items).toEqual([...itemsFromStream(first.events), ...itemsFromStream(second.events)]);
  });

  it('when the visitor retries after a message, then later items are dropped and a new reply is streamed', async () => {
    const visitor = await service.visitor();
    const first = await visitor.stream('threads.create', { input: userInput('Headliner sagging') });
    const threadId = (first.events[0] as { thread: { id: string } }).thread.id;
    const second = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('Honda Civic 2012') });
    const secondUser = itemsFromStream(second.events)[0];
    const retry = await visitor.stream('threads.retry_after_item', { thread_id: threadId, item_id: secondUser?.id });
    expect(retry.events[0]).toMatchObject({ type: 'stream_options' });
    const items = await visitor.allItems(threadId);
    expect(items.map((i) => i.id)).toEqual([
      ...itemsFromStream(first.events).map((i) => i.id),
      secondUser?.id,
      itemsFromStream(retry.events)[0]?.id,
    ]);

    const notUser = itemsFromStream(first.events)[1];
    await expectJsonError(
      await visitor.request('threads.retry_after_item', { thread_id: threadId, item_id: notUser?.id }),
      400,
      'invalid_request',
    );
    await expectJsonError(
      await visitor.request('threads.retry_after_item', { thread_id: threadId, item_id: 'cthi_nope' }),
      404,
      'not_found',
    );
  });
});

describe('reads', () => {
  it('when items and threads are paged both ways, then pages follow limit / after / order / has_more', async () => {
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput('one') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('two') });
    await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('three') });
    const all = await visitor.allItems(threadId);
    expect(all).toHaveLength(6);
    const desc = await visitor.listItems(threadId, { order: 'desc', limit: 4 });
    expect(desc.data.map((i) => i.id)).toEqual(
      all
        .slice(2)
        .reverse()
        .map((i) => i.id),
    );
    expect(desc.has_more).toBe(true);
    expect(desc.after).toBe(all[2]?.id);
    const rest = await visitor.listItems(threadId, { order: 'desc', limit: 4, after: desc.after });
    expect(rest).toMatchObject({ has_more: false, after: null });
    expect(rest.data.map((i) => i.id)).toEqual([all[1]?.id, all[0]?.id]);

    const second = await visitor.stream('threads.create', { input: userInput('another chat') });
    const secondId = (second.events[0] as { thread: { id: string } }).thread.id;
    const threads = await visitor.listThreads({ limit: 1 });
    expect(threads.data.map((t) => t.id)).toEqual([secondId]);
    expect(threads.has_more).toBe(true);
    const older = await visitor.listThreads({ limit: 1, after: threads.after });
    expect(older.data.map((t) => t.id)).toEqual([threadId]);
    const asc = await visitor.listThreads({ order: 'asc' });
    expect(asc.data.map((t) => t.id)).toEqual([threadId, secondId]);
  });

  it("when a thread is renamed, given feedback or deleted, then the answers are the protocol's", async () => {
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput('hello') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    const renamed = await (await visitor.request('threads.update', { thread_id: threadId, title: 'Seat repair' })).json();
    expect(renamed).toMatchObject({ id: threadId, title: 'Seat repair' });
    const itemIds = itemsFromStream(created.events).map((i) => i.id);
    const feedback = await visitor.request('items.feedback', { thread_id: threadId, item_ids: itemIds, kind: 'positive' });
    expect(await feedback.json()).toEqual({});
    expect(await (await visitor.request('threads.delete', { thread_id: threadId })).json()).toEqual({});
    await expectJsonError(await visitor.request('threads.get_by_id', { thread_id: threadId }), 404, 'not_found');
  });
});

describe('unsupported and invalid requests', () => {
  it('when a non-streaming request we do not support arrives, then 400 invalid_request names it, never a 500', async () => {
    const visitor = await service.visitor();
    for (const [type, params] of [
      ['attachments.create', { name: 'a.png', size: 10, mime_type: 'image/png' }],
      ['attachments.delete', { attachment_id: 'atc_1' }],
      ['input.transcribe', { audio_base64: 'AAAA', mime_type: 'audio/webm' }],
      ['threads.sync_custom_action', { thread_id: 'cthr_x', action: { type: 'x' } }],
    ] as const) {
      const message = await expectJsonError(await visitor.request(type, params), 400, 'invalid_request');
      expect(message).toContain(type);
    }
  });

  it('when a streaming request we do not support arrives, then the stream holds one protocol error event', async () => {
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput('hi') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    for (const [type, params] of [
      ['threads.add_client_tool_output', { thread_id: threadId, result: {} }],
      ['threads.add_structured_input', { thread_id: threadId, item_id: 'cthi_x', input: {} }],
      ['threads.custom_action', { thread_id: threadId, action: { type: 'submit' } }],
    ] as const) {
      const { events } = await visitor.stream(type, params);
      expect(events).toEqual([{ type: 'error', code: 'custom', message: expect.stringContaining(type), allow_retry: false }]);
    }
    expect(await visitor.allItems(threadId)).toHaveLength(2);
  });

  it('when the request type is unknown or a field is wrong, then 400 names the field', async () => {
    const visitor = await service.visitor();
    const unknown = await expectJsonError(await visitor.request('threads.explode', {}), 400, 'invalid_request');
    expect(unknown).toMatch(/type/);
    const bad = await expectJsonError(await visitor.request('threads.create', { input: { content: [] } }), 400, 'invalid_request');
    expect(bad).toMatch(/content/);
    const attachments = await expectJsonError(
      await visitor.request('threads.create', { input: { ...userInput('photo'), attachments: ['atc_1'] } }),
      400,
      'invalid_request',
    );
    expect(attachments).toMatch(/attachments/);
  });
});
