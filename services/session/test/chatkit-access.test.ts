import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError, SITE_ORIGIN, startTestService, type TestService } from './harness.js';
import { ChatKitTestClient, userInput } from './chatkit-client.js';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});

describe('POST /api/chatkit/session', () => {
  it('when a visitor asks for a session, then it gets our own signed token bound to a server-picked user, its proof, and no OpenAI call is made', async () => {
    service.stub.clearRequests();
    const response = await service.post('/api/chatkit/session', {
      locale: 'es-MX',
      pageUrl: 'https://shop.example/es/',
      current: null,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { token: string; expires_at: number; user: string; proof: string };
    expect(Object.keys(body).sort()).toEqual(['expires_at', 'proof', 'token', 'user']);
    expect(body.user).toMatch(/^anon_[A-Za-z0-9_-]{22}$/);
    expect(body.expires_at).toBeGreaterThan(Date.now() / 1000 + 800);
    expect(body.expires_at).toBeLessThanOrEqual(Date.now() / 1000 + 900);
    expect(await service.tokens.verify(body.token)).toMatchObject({
      user: body.user,
      locale: 'es',
      pageUrl: 'https://shop.example/es/',
    });
    expect(await service.tokens.verifyProof(body.proof)).toMatchObject({ user: body.user, currentKey: true });
    expect(service.stub.requests).toHaveLength(0);
  });

  it('when a refresh sends the proof, then the user is kept and no new proof comes back while that one is young', async () => {
    const first = (await (await service.post('/api/chatkit/session', {})).json()) as { token: string; user: string; proof: string };
    const refreshed = (await (
      await service.post('/api/chatkit/session', { user: first.user, proof: first.proof, current: first.token })
    ).json()) as { user: string; proof?: string };
    expect(Object.keys(refreshed).sort()).toEqual(['expires_at', 'token', 'user']);
    expect(refreshed.user).toBe(first.user);
  });

  it('when the body is invalid, then 400 names the field', async () => {
    const message = await expectJsonError(await service.post('/api/chatkit/session', { user: 'bob' }), 400, 'invalid_request');
    expect(message).toMatch(/user/);
    await expectJsonError(await service.post('/api/chatkit/session', '{not json'), 400, 'invalid_request');
  });
});

describe('visitor tokens on /api/chatkit', () => {
  const read = (client: ChatKitTestClient, token: string | null) => client.request('threads.list', {}, { token });

  it("when the token is missing, expired or forged, then 401 unauthorized in the contract's JSON", async () => {
    const visitor = await service.visitor();
    await expectJsonError(await read(visitor, null), 401, 'unauthorized');
    await expectJsonError(await read(visitor, 'not-a-token-at-all'), 401, 'unauthorized');
    const [h, p, s] = visitor.token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), sub: 'anon_someone_else' })).toString('base64url')}.${s}`;
    await expectJsonError(await read(visitor, tampered), 401, 'unauthorized');
    const otherKey = await new SignJWT({ loc: 'en' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject(visitor.user)
      .setIssuer('chatkit-lead-intake/session')
      .setAudience('chatkit-lead-intake/chatkit')
      .setExpirationTime('10m')
      .sign(new Uint8Array(32).fill(9));
    await expectJsonError(await read(visitor, otherKey), 401, 'unauthorized');
    const expired = await startTestService({ stub: service.stub, now: () => new Date(Date.now() - 3_600_000) });
    try {
      const old = await expired.visitor();
      await expectJsonError(
        await read(new ChatKitTestClient(service.url, old.token, old.user, SITE_ORIGIN), old.token),
        401,
        'unauthorized',
      );
    } finally {
      await expired.close();
    }
    expect((await read(visitor, visitor.token)).status).toBe(200);
  });

  it("when a visitor asks for another visitor's thread, then the protocol's not-found, for every request type", async () => {
    const alice = await service.visitor();
    const bob = await service.visitor();
    const created = await alice.stream('threads.create', { input: userInput('my phone is 408 555 0123') });
    const threadId = (created.events[0] as { thread: { id: string } }).thread.id;
    for (const [type, params] of [
      ['threads.get_by_id', { thread_id: threadId }],
      ['items.list', { thread_id: threadId }],
      ['threads.update', { thread_id: threadId, title: 'mine now' }],
      ['threads.delete', { thread_id: threadId }],
      ['threads.add_user_message', { thread_id: threadId, input: userInput('hi') }],
      ['threads.retry_after_item', { thread_id: threadId, item_id: 'cthi_x' }],
    ] as const) {
      await expectJsonError(await bob.request(type, params), 404, 'not_found');
    }
    expect((await bob.listThreads()).data).toEqual([]);
    expect((await alice.allItems(threadId)).length).toBe(2);
  });

  it('when the Origin is foreign, then 403 before any work; an allowed preflight lists Authorization', async () => {
    const visitor = await service.visitor();
    await expectJsonError(
      await visitor.request('threads.list', {}, { headers: { origin: 'https://evil.example' } }),
      403,
      'origin_not_allowed',
    );
    await expectJsonError(await service.post('/api/chatkit/session', {}, { origin: 'https://evil.example' }), 403, 'origin_not_allowed');
    const preflight = await fetch(`${service.url}/api/chatkit`, {
      method: 'OPTIONS',
      headers: {
        origin: SITE_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
  });

  it('when tokens are minted and used, then the logs hold no token and no message text', async () => {
    const visitor = await service.visitor();
    await visitor.stream('threads.create', { input: userInput('secret-text-4711 my email is jo@example.com') });
    const logs = service.logs.text;
    expect(logs).not.toContain(visitor.token);
    expect(logs).not.toContain('secret-text-4711');
    expect(logs).not.toContain('jo@example.com');
  });
});
