import { afterEach, describe, expect, it } from 'vitest';
import { expectJsonError, SITE_ORIGIN, startTestService, type TestService } from './harness.js';
import { userInput } from './chatkit-client.js';

let service: TestService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

const limitError = (events: { type: string }[]) => {
  expect(events).toHaveLength(1);
  return events[0] as { type: string; code: string; message: string; allow_retry: boolean };
};

describe('cost protection', () => {
  it('when a message is longer than the input limit, then a clear error event and nothing is written', async () => {
    service = await startTestService({ limits: { maxInputChars: 50 } });
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('x'.repeat(51)) });
    expect(limitError(events)).toMatchObject({
      type: 'error',
      code: 'custom',
      message: expect.stringMatching(/too long/),
      allow_retry: false,
    });
    expect((await visitor.listThreads()).data).toEqual([]);
    expect(service.stub.requests).toHaveLength(0);
  });

  it.each([
    ['its quoted text', { content: [{ type: 'input_text', text: 'what about this?' }], quoted_text: 'q'.repeat(60) }],
    [
      'the data of an input tag',
      { content: [{ type: 'input_tag', id: 'tag_1', text: 'seat', data: { note: 'd'.repeat(60) }, interactive: false }] },
    ],
    [
      'text spread over parts',
      {
        content: [
          { type: 'input_text', text: 'a'.repeat(30) },
          { type: 'input_text', text: 'b'.repeat(30) },
        ],
      },
    ],
  ])(
    'when %s makes a message longer than the input limit, then it is refused, nothing is written and the model sees nothing',
    async (_case, input) => {
      service = await startTestService({ limits: { maxInputChars: 50 } });
      const visitor = await service.visitor();
      const { events } = await visitor.stream('threads.create', { input: { attachments: [], inference_options: {}, ...input } });
      expect(limitError(events).message).toMatch(/too long/);
      expect((await visitor.listThreads()).data).toEqual([]);
      expect(service.stub.requests).toHaveLength(0);
      const created = await visitor.stream('threads.create', { input: userInput('short') });
      const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
      const added = await visitor.stream('threads.add_user_message', {
        thread_id: threadId,
        input: { attachments: [], inference_options: {}, ...input },
      });
      expect(limitError(added.events).message).toMatch(/too long/);
      expect(await visitor.allItems(threadId)).toHaveLength(2);
    },
  );

  it.each([
    ['a model name of 5,000 characters', { inference_options: { model: 'm'.repeat(5000) } }, 'params.input.inference_options.model'],
    [
      'a tool choice id of 5,000 characters',
      { inference_options: { tool_choice: { id: 't'.repeat(5000) } } },
      'params.input.inference_options.tool_choice.id',
    ],
    [
      'a tag id of 5,000 characters',
      { content: [{ type: 'input_tag', id: 'i'.repeat(5000), text: 'x', data: {} }] },
      'params.input.content[0].id',
    ],
    [
      'a tag group of 5,000 characters',
      { content: [{ type: 'input_tag', id: 'i', text: 'x', data: {}, group: 'g'.repeat(5000) }] },
      'params.input.content[0].group',
    ],
    ['100 content parts', { content: Array.from({ length: 100 }, () => ({ type: 'input_text', text: 'x' })) }, 'params.input.content'],
  ])('when a message carries %s (stored with the item), then 400 names the field', async (_case, input, field) => {
    service = await startTestService();
    const visitor = await service.visitor();
    const message = await expectJsonError(
      await visitor.request('threads.create', {
        input: { content: [{ type: 'input_text', text: 'hi' }], attachments: [], inference_options: {}, ...input },
      }),
      400,
      'invalid_request',
    );
    expect(message).toContain(field);
    expect((await visitor.listThreads()).data).toEqual([]);
  });

  it('when a thread grows, then the agent gets at most its history budget, oldest messages dropped first, and the log counts them', async () => {
    service = await startTestService({ limits: { maxInputChars: 400 }, historyChars: 1500 });
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput(`first ${'a'.repeat(390)}`) });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    for (let turn = 2; turn <= 6; turn += 1) {
      await visitor.stream('threads.add_user_message', {
        thread_id: threadId,
        input: { ...userInput(`turn ${turn} ${'b'.repeat(200)}`), quoted_text: 'q'.repeat(150) },
      });
    }
    const inputs = service.stub.requests
      .filter((r) => r.route === 'POST /v1/responses')
      .map((r) => (r.body as { input: Array<{ role: string; content: string | Array<{ text: string }> }> }).input);
    const chars = (input: (typeof inputs)[number]) =>
      input.reduce(
        (sum, m) => sum + (typeof m.content === 'string' ? m.content.length : m.content.reduce((n, part) => n + part.text.length, 0)),
        0,
      );
    expect(inputs).toHaveLength(6);
    for (const input of inputs) expect(chars(input)).toBeLessThanOrEqual(1500);
    const last = inputs.at(-1)!;
    expect(JSON.stringify(last.at(-1))).toContain('turn 6');
    expect(JSON.stringify(last)).not.toContain('first a');
    const ended = service.logs.lines
      .map((line) => JSON.parse(line) as { message: string; history?: { messages: number; dropped: number; chars: number } })
      .filter((line) => line.message === 'chatkit turn ended');
    expect(ended.at(-1)?.history).toMatchObject({ messages: last.length, dropped: expect.any(Number) });
    expect(ended.at(-1)!.history!.dropped).toBeGreaterThan(0);
    expect(ended.at(-1)!.history!.chars).toBe(chars(last));
  });

  it('when a visitor sends more messages per minute than allowed, then the extra one is refused and not stored', async () => {
    service = await startTestService({ limits: { messagesPerMinutePerVisitor: 2 } });
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput('one') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('two') });
    const third = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('three') });
    expect(limitError(third.events).message).toMatch(/quickly/);
    expect(await visitor.allItems(threadId)).toHaveLength(4);
    const other = await service.visitor();
    expect((await other.stream('threads.create', { input: userInput('hi') })).events[0]?.type).toBe('thread.created');
  });

  it('when one IP sends more messages than allowed across visitors, then it is refused', async () => {
    service = await startTestService({ limits: { messagesPerMinutePerIp: 2 } });
    const results: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const visitor = await service.visitor();
      results.push((await visitor.stream('threads.create', { input: userInput('hi') })).events[0]?.type ?? '');
    }
    expect(results).toEqual(['thread.created', 'thread.created', 'error']);
    expect(service.logs.lines.filter((line) => line.includes('"limit":"ip_message_rate"'))).toHaveLength(1);
  });

  it('when the addresses of one IPv6 network (a /64) send more messages than allowed, then they count as one client', async () => {
    service = await startTestService({ limits: { messagesPerMinutePerIp: 3 } });
    const results: string[] = [];
    for (let i = 1; i <= 5; i += 1) {
      const visitor = await service.visitor();
      const { events } = await visitor.stream(
        'threads.create',
        { input: userInput('hi') },
        { 'x-forwarded-for': `2001:db8:7:9::${i.toString(16)}` },
      );
      results.push(events[0]?.type ?? '');
    }
    expect(results).toEqual(['thread.created', 'thread.created', 'thread.created', 'error', 'error']);
  });

  it('when one IPv4 client arrives both plain and IPv4-mapped (::ffff:1.2.3.4), then it counts once', async () => {
    service = await startTestService({ limits: { messagesPerMinutePerIp: 1 } });
    const results: string[] = [];
    for (const address of ['198.51.100.4', '::ffff:198.51.100.4']) {
      const visitor = await service.visitor();
      const { events } = await visitor.stream('threads.create', { input: userInput('hi') }, { 'x-forwarded-for': address });
      results.push(events[0]?.type ?? '');
    }
    expect(results).toEqual(['thread.created', 'error']);
  });

  it('when a thread reaches its message cap, then the next message is refused with a message naming the limit', async () => {
    service = await startTestService({ limits: { maxMessagesPerThread: 2 } });
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput('one') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('two') });
    const third = await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput('three') });
    expect(limitError(third.events).message).toMatch(/length limit/);
    expect(await visitor.allItems(threadId)).toHaveLength(4);
  });

  it('when a visitor starts more threads in a day than allowed, then the next one is refused and none is created', async () => {
    service = await startTestService({ limits: { maxThreadsPerVisitorPerDay: 2 } });
    const visitor = await service.visitor();
    await visitor.stream('threads.create', { input: userInput('one') });
    await visitor.stream('threads.create', { input: userInput('two') });
    const third = await visitor.stream('threads.create', { input: userInput('three') });
    expect(limitError(third.events).message).toMatch(/many chats/);
    expect((await visitor.listThreads()).data).toHaveLength(2);
  });

  it('when 10 messages arrive at once with one left under the thread cap, then exactly one is taken and the thread ends at the cap', async () => {
    service = await startTestService({ limits: { maxMessagesPerThread: 5 } });
    const visitor = await service.visitor();
    const created = await visitor.stream('threads.create', { input: userInput('one') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    for (const text of ['two', 'three', 'four'])
      await visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput(text) });
    const turns = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        visitor.stream('threads.add_user_message', { thread_id: threadId, input: userInput(`five ${i}`) }),
      ),
    );
    expect(turns.filter((turn) => turn.events[0]?.type === 'thread.item.done')).toHaveLength(1);
    for (const turn of turns.filter((t) => t.events[0]?.type === 'error')) expect(limitError(turn.events).message).toMatch(/length limit/);
    const items = await visitor.allItems(threadId);
    expect(items.filter((item) => item.type === 'user_message')).toHaveLength(5);
    expect((await service.store.loadThread(threadId))?.userMessageCount).toBe(5);
  });

  it('when 10 new threads start at once with one left under the daily cap, then exactly one is created', async () => {
    service = await startTestService({ limits: { maxThreadsPerVisitorPerDay: 3 } });
    const visitor = await service.visitor();
    for (const text of ['one', 'two']) await visitor.stream('threads.create', { input: userInput(text) });
    const starts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => visitor.stream('threads.create', { input: userInput(`three ${i}`) })),
    );
    expect(starts.filter((start) => start.events[0]?.type === 'thread.created')).toHaveLength(1);
    for (const start of starts.filter((s) => s.events[0]?.type === 'error')) expect(limitError(start.events).message).toMatch(/many chats/);
    expect((await visitor.listThreads()).data).toHaveLength(3);
  });

  it('when the visitor page is Spanish, then the limit message is in Spanish', async () => {
    service = await startTestService({ limits: { maxInputChars: 5 } });
    const visitor = await service.visitor();
    const { events } = await visitor.stream('threads.create', { input: userInput('demasiado largo') }, { 'x-chatkit-locale': 'es' });
    expect(limitError(events).message).toMatch(/demasiado largo/);
  });
});

describe('per-IP request limit and client IP', () => {
  async function burst(svc: TestService, forwardedFor: (i: number) => string, count: number): Promise<number[]> {
    const statuses: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const response = await fetch(`${svc.url}/api/chatkit/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: SITE_ORIGIN, 'x-forwarded-for': forwardedFor(i) },
        body: '{}',
      });
      statuses.push(response.status);
    }
    return statuses;
  }

  it("when a client rotates X-Forwarded-For on a direct connection, then the limit still holds (the front end's entry counts)", async () => {
    service = await startTestService({ app: { rateLimitPerMinute: 60 } });
    // On Cloud Run the front end appends the real client address; what the client wrote stays left of it.
    const statuses = await burst(service, (i) => `10.${i}.0.1, 198.51.100.7`, 70);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('when requests come through a proxy in TRUSTED_PROXY_RANGES (Firebase Hosting), then each visitor behind it has its own limit', async () => {
    service = await startTestService({ app: { rateLimitPerMinute: 3, trustedProxyRanges: ['203.0.113.0/24'] } });
    const a = await burst(service, () => '192.0.2.10, 203.0.113.5', 4);
    const b = await burst(service, () => '192.0.2.11, 203.0.113.5', 3);
    expect(a).toEqual([200, 200, 200, 429]);
    expect(b).toEqual([200, 200, 200]);
    const forgedBehindUntrusted = await burst(service, (i) => `192.0.2.${50 + i}, 198.51.100.99`, 4);
    expect(forgedBehindUntrusted).toEqual([200, 200, 200, 429]);
  });

  it('when the per-IP request limit on /api/chatkit is exceeded, then 429 with Retry-After', async () => {
    service = await startTestService({ app: { chatKitRateLimitPerMinute: 2 } });
    const visitor = await service.visitor();
    const first = await visitor.request('threads.list', {});
    // IETF draft-7 headers, as express-rate-limit sent them.
    expect(first.headers.get('ratelimit-policy')).toBe('2;w=60');
    expect(first.headers.get('ratelimit')).toBe('limit=2, remaining=1, reset=60');
    await visitor.request('threads.list', {});
    const response = await visitor.request('threads.list', {});
    await expectJsonError(response.clone(), 429, 'rate_limited');
    expect(response.headers.get('ratelimit')).toMatch(/^limit=2, remaining=0, reset=(59|60)$/);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
