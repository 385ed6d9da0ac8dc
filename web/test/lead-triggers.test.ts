import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLeadTriggers, sentKey, type LeadTriggerDeps } from '../src/launcher/lead-triggers.js';

const ENDPOINT = 'https://shop.example/api/chatkit/lead';
const IDLE_MS = 90_000;

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    map,
  };
}

function setup(overrides: Partial<LeadTriggerDeps> = {}, answer: { sent: boolean } = { sent: false }) {
  const storage = memoryStorage();
  const fetch = vi.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify({ ok: true, reason: 'queued', ...answer }), { status: 200 }),
  );
  const beacon = vi.fn((_url: string, _body: BodyInit) => true);
  const triggers = createLeadTriggers({
    endpoint: ENDPOINT,
    idleMs: IDLE_MS,
    storage,
    sendBeacon: beacon,
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => Date.now(),
    context: () => ({ locale: 'es', pageUrl: 'https://shop.example/es/', user: 'anon_abc' }),
    ...overrides,
  });
  const reasons = () => fetch.mock.calls.map(([, init]) => JSON.parse(String(init?.body)).reason as string);
  return { triggers, fetch, beacon, storage, reasons };
}

describe('browser lead triggers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-03T18:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('when 90 s pass after the last response, then one idle trigger is sent with the thread and page context', async () => {
    const { triggers, fetch, reasons } = setup();
    triggers.threadChanged('cthr_one');
    triggers.responseEnded();
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1);
    expect(fetch).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(reasons()).toEqual(['idle']);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe(ENDPOINT);
    expect(init?.keepalive).toBe(true);
    expect(JSON.parse(String(init?.body))).toEqual({
      threadId: 'cthr_one',
      reason: 'idle',
      locale: 'es',
      pageUrl: 'https://shop.example/es/',
      user: 'anon_abc',
    });
    await vi.advanceTimersByTimeAsync(IDLE_MS * 3);
    expect(reasons()).toEqual(['idle']);
  });

  it('when a new response starts before the deadline, then the idle clock stops, and restarts at its end', async () => {
    const { triggers, reasons } = setup();
    triggers.threadChanged('cthr_one');
    triggers.responseEnded();
    await vi.advanceTimersByTimeAsync(60_000);
    triggers.responseStarted();
    await vi.advanceTimersByTimeAsync(IDLE_MS * 2);
    expect(reasons()).toEqual([]);
    triggers.responseEnded();
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1_000);
    expect(reasons()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(reasons()).toEqual(['idle']);
  });

  it('when the timer fires before the deadline by the clock, then it waits for the deadline instead of counting ticks', async () => {
    let skew = 0;
    const { triggers, reasons } = setup({ now: () => Date.now() + skew });
    triggers.threadChanged('cthr_one');
    triggers.responseEnded();
    // The wall clock was set back 45 s while the timer ran: at the tick only half the time has passed.
    skew = -IDLE_MS / 2;
    await vi.advanceTimersByTimeAsync(IDLE_MS);
    expect(reasons()).toEqual([]);
    await vi.advanceTimersByTimeAsync(IDLE_MS / 2 - 1);
    expect(reasons()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(reasons()).toEqual(['idle']);
  });

  it('when there is no thread yet, then nothing is sent for any reason', async () => {
    const { triggers, fetch, beacon } = setup();
    triggers.responseEnded();
    triggers.chatClosed();
    triggers.pageHidden();
    await vi.advanceTimersByTimeAsync(IDLE_MS * 2);
    expect(fetch).not.toHaveBeenCalled();
    expect(beacon).not.toHaveBeenCalled();
  });

  it('when the page is hidden, then the trigger goes by beacon as text/plain JSON', async () => {
    const { triggers, beacon, fetch } = setup();
    triggers.threadChanged('cthr_one');
    triggers.pageHidden();
    expect(beacon).toHaveBeenCalledTimes(1);
    const [url, body] = beacon.mock.calls[0]!;
    expect(url).toBe(ENDPOINT);
    expect(body).toBeInstanceOf(Blob);
    expect((body as Blob).type).toBe('text/plain;charset=utf-8');
    expect(JSON.parse(await (body as Blob).text())).toMatchObject({ threadId: 'cthr_one', reason: 'pagehide' });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('when the beacon is refused or missing, then fetch with keepalive carries the pagehide trigger', async () => {
    const refused = setup({ sendBeacon: () => false });
    refused.triggers.threadChanged('cthr_one');
    refused.triggers.pageHidden();
    expect(refused.reasons()).toEqual(['pagehide']);
    expect(refused.fetch.mock.calls[0]?.[1]?.keepalive).toBe(true);

    const missing = setup({ sendBeacon: undefined });
    missing.triggers.threadChanged('cthr_two');
    missing.triggers.pageHidden();
    expect(missing.reasons()).toEqual(['pagehide']);
  });

  it('when the panel closes, then chat_closed is sent and the pending idle deadline is dropped', async () => {
    const { triggers, reasons } = setup();
    triggers.threadChanged('cthr_one');
    triggers.responseEnded();
    triggers.chatClosed();
    await vi.advanceTimersByTimeAsync(IDLE_MS * 2);
    expect(reasons()).toEqual(['chat_closed']);
  });

  it('when the server says the lead is sent, then that thread sends nothing more, and another thread still does', async () => {
    const { triggers, reasons, storage, beacon } = setup({}, { sent: true });
    triggers.threadChanged('cthr_one');
    triggers.chatClosed();
    await vi.advanceTimersByTimeAsync(0);
    expect(storage.getItem(sentKey('cthr_one'))).not.toBeNull();
    triggers.chatClosed();
    triggers.pageHidden();
    expect(reasons()).toEqual(['chat_closed']);
    expect(beacon).not.toHaveBeenCalled();
    triggers.threadChanged('cthr_two');
    triggers.chatClosed();
    expect(reasons()).toEqual(['chat_closed', 'chat_closed']);
  });

  it('when the customer writes again after the lead was sent, then the leave triggers go again (the follow-up)', async () => {
    const { triggers, reasons, storage } = setup({}, { sent: true });
    triggers.threadChanged('cthr_one');
    triggers.chatClosed();
    await vi.advanceTimersByTimeAsync(0);
    triggers.chatClosed();
    expect(reasons()).toEqual(['chat_closed']);
    triggers.responseStarted();
    expect(storage.getItem(sentKey('cthr_one'))).toBeNull();
    triggers.responseEnded();
    triggers.chatClosed();
    expect(reasons()).toEqual(['chat_closed', 'chat_closed']);
  });

  it('when the server answers not sent or fails, then nothing is remembered and the next trigger still goes', async () => {
    const failing = vi.fn(async () => new Response('{}', { status: 503 }));
    const { triggers, storage } = setup({ fetch: failing as unknown as typeof fetch });
    triggers.threadChanged('cthr_one');
    triggers.chatClosed();
    await vi.advanceTimersByTimeAsync(0);
    triggers.chatClosed();
    expect(failing).toHaveBeenCalledTimes(2);
    expect(storage.map.size).toBe(0);
  });

  it('when the thread changes, then the old thread idle deadline does not fire for it', async () => {
    const { triggers, fetch } = setup();
    triggers.threadChanged('cthr_one');
    triggers.responseEnded();
    triggers.threadChanged('cthr_two');
    await vi.advanceTimersByTimeAsync(IDLE_MS * 2);
    expect(fetch).not.toHaveBeenCalled();
  });
});
