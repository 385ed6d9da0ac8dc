import { describe, expect, it, vi } from 'vitest';
import { createVisitorSession, REFRESH_MARGIN_MS, SessionUnavailableError } from '../src/chat/visitor-session.js';

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

function setup(start = Date.parse('2026-12-03T18:00:00Z')) {
  let now = start;
  let minted = 0;
  const calls: Array<{ url: string; headers: Headers; body: unknown }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    calls.push({ url, headers: new Headers(init?.headers), body: init?.body ? JSON.parse(String(init.body)) : null });
    if (url.endsWith('/session')) {
      minted += 1;
      return Response.json({
        token: `tok${minted}`,
        expires_at: Math.floor(now / 1000) + 900,
        user: 'anon_visitor1',
        proof: `proof${minted}`,
      });
    }
    const auth = new Headers(init?.headers).get('authorization');
    return auth === 'Bearer tok1' && minted > 1 ? new Response('{}', { status: 401 }) : Response.json({ ok: true, auth });
  });
  const storage = memoryStorage();
  const session = createVisitorSession({
    sessionUrl: 'https://shop.example/api/chatkit/session',
    storage,
    userKey: 'chatkit-user',
    proofKey: 'chatkit-visitor-proof',
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => now,
    context: () => ({ locale: 'vi', pageUrl: 'https://shop.example/vi/' }),
  });
  return { session, calls, storage, advance: (ms: number) => (now += ms), minted: () => minted };
}

describe('visitor session in the widget', () => {
  it('when ChatKit calls the API, then a token is minted once and sent as Bearer with the page locale and URL', async () => {
    const { session, calls, storage } = setup();
    await session.fetch('https://shop.example/api/chatkit', { method: 'POST', body: '{"type":"threads.list","params":{}}' });
    await session.fetch('https://shop.example/api/chatkit', { method: 'POST', body: '{}' });
    const mints = calls.filter((c) => c.url.endsWith('/session'));
    expect(mints).toHaveLength(1);
    expect(mints[0]?.body).toEqual({ locale: 'vi', pageUrl: 'https://shop.example/vi/', current: null });
    const api = calls.filter((c) => !c.url.endsWith('/session'));
    expect(api.map((c) => c.headers.get('authorization'))).toEqual(['Bearer tok1', 'Bearer tok1']);
    expect(api[0]?.headers.get('x-chatkit-locale')).toBe('vi');
    expect(api[0]?.headers.get('x-chatkit-page-url')).toBe('https://shop.example/vi/');
    expect(storage.getItem('chatkit-user')).toBe('anon_visitor1');
    expect(storage.getItem('chatkit-visitor-proof')).toBe('proof1');
  });

  it('when the token is within a minute of expiry, then it is refreshed first, sending the stored user, its proof and the old token', async () => {
    const { session, calls, advance } = setup();
    expect(await session.token()).toBe('tok1');
    advance(900_000 - REFRESH_MARGIN_MS + 1);
    expect(await session.token()).toBe('tok2');
    expect(calls[1]?.body).toEqual({
      locale: 'vi',
      pageUrl: 'https://shop.example/vi/',
      user: 'anon_visitor1',
      proof: 'proof1',
      current: 'tok1',
    });
  });

  it('when the page is reloaded, then the first mint sends the kept id and proof (the server gives this identity back only with it)', async () => {
    const first = setup();
    await first.session.token();
    const storage = first.storage;
    const bodies: unknown[] = [];
    const reloaded = createVisitorSession({
      sessionUrl: 'https://shop.example/api/chatkit/session',
      storage,
      userKey: 'chatkit-user',
      proofKey: 'chatkit-visitor-proof',
      fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
        bodies.push(JSON.parse(String(init?.body)));
        return Response.json({ token: 'tokA', expires_at: 4_000_000_000, user: 'anon_visitor1', proof: 'proofA' });
      }) as typeof fetch,
      now: () => 0,
      context: () => ({ locale: 'en', pageUrl: 'https://shop.example/en/' }),
    });
    await reloaded.token();
    expect(bodies).toEqual([{ locale: 'en', pageUrl: 'https://shop.example/en/', user: 'anon_visitor1', proof: 'proof1', current: null }]);
    expect(storage.getItem('chatkit-visitor-proof')).toBe('proofA');
  });

  it('when a visitor of the widget before proofs (an id, no proof) gets a new identity, then the new id and its proof replace the old id', async () => {
    const storage = memoryStorage();
    storage.setItem('chatkit-user', 'anon_from_the_old_widget');
    const session = createVisitorSession({
      sessionUrl: 'https://shop.example/api/chatkit/session',
      storage,
      userKey: 'chatkit-user',
      proofKey: 'chatkit-visitor-proof',
      fetch: (async () =>
        Response.json({ token: 'tokN', expires_at: 4_000_000_000, user: 'anon_new_identity', proof: 'proofN' })) as typeof fetch,
      now: () => 0,
      context: () => ({ locale: 'en', pageUrl: 'https://shop.example/en/' }),
    });
    await session.token();
    expect([storage.getItem('chatkit-user'), storage.getItem('chatkit-visitor-proof')]).toEqual(['anon_new_identity', 'proofN']);
  });

  it('when many requests need a token at once, then one mint serves them all', async () => {
    const { session, minted } = setup();
    await Promise.all([session.token(), session.token(), session.token()]);
    expect(minted()).toBe(1);
  });

  it('when /api/chatkit answers 401, then a fresh token is minted and the request retried once', async () => {
    let minted = 0;
    const seen: string[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).endsWith('/session')) {
        minted += 1;
        return Response.json({ token: `tok${minted}`, expires_at: 4_000_000_000, user: 'anon_visitor1' });
      }
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      seen.push(auth);
      // The key that signed tok1 was rotated out: only newer tokens pass.
      return auth === 'Bearer tok1' ? new Response('{"error":"unauthorized"}', { status: 401 }) : Response.json({ ok: true });
    }) as typeof globalThis.fetch;
    const session = createVisitorSession({
      sessionUrl: 'https://shop.example/api/chatkit/session',
      storage: memoryStorage(),
      userKey: 'u',
      proofKey: 'p',
      fetch,
      now: () => 0,
      context: () => ({ locale: 'en', pageUrl: 'https://shop.example/en/' }),
    });
    const response = await session.fetch('https://shop.example/api/chatkit', { method: 'POST', body: '{}' });
    expect(response.status).toBe(200);
    expect(seen).toEqual(['Bearer tok1', 'Bearer tok2']);
  });

  it('when the session endpoint fails, then a SessionUnavailableError says so (the widget shows its fallback)', async () => {
    const session = createVisitorSession({
      sessionUrl: 'https://shop.example/api/chatkit/session',
      storage: memoryStorage(),
      userKey: 'u',
      proofKey: 'p',
      fetch: (async () => new Response('{"error":"rate_limited"}', { status: 429 })) as typeof fetch,
      now: () => 0,
      context: () => ({ locale: 'en', pageUrl: 'https://shop.example/en/' }),
    });
    await expect(session.token()).rejects.toBeInstanceOf(SessionUnavailableError);
    await expect(session.token()).rejects.toThrow(/429/);
  });
});
