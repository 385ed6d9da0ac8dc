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
