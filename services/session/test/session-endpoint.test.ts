import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestService, SITE_ORIGIN, WORKFLOW_ID, type TestService } from './harness.js';

const SESSIONS_ROUTE = 'POST /v1/chatkit/sessions';

let service: TestService;

beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service.close();
});
beforeEach(() => {
  service.stub.clearRequests();
  service.stub.clearFaults();
});

const upstreamCalls = () => service.stub.requests.filter((r) => r.route === SESSIONS_ROUTE);

async function expectError(response: Response, status: number, code: string): Promise<string> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  expect(Object.keys(body)).toEqual(['error']);
  return body.error.message;
}

describe('POST /api/chatkit/session', () => {
  it('when a visitor asks for a session, then it answers the client secret and passes workflow, user and every state variable upstream', async () => {
    const response = await service.post({
      locale: 'es-MX',
      pageUrl: 'https://shop.example/es/contacto',
      user: 'anon_visitor_0001',
      current: null,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    const body = (await response.json()) as { client_secret: string; expires_at: number };
    expect(Object.keys(body).sort()).toEqual(['client_secret', 'expires_at']);
    expect(body.client_secret).toMatch(/^ek_/);
    expect(body.expires_at).toBeGreaterThan(Date.now() / 1000);

    const [call] = upstreamCalls();
    expect(upstreamCalls()).toHaveLength(1);
    expect(call?.authorized).toBe(true);
    expect(call?.headers['openai-beta']).toBe('chatkit_beta=v1');
    const sent = call?.body as { user: string; workflow: { id: string; state_variables: Record<string, unknown> } };
    expect(sent.user).toBe('anon_visitor_0001');
    expect(sent.workflow.id).toBe(WORKFLOW_ID);
    const vars = sent.workflow.state_variables;
    expect(vars.locale).toBe('es');
    expect(vars.page_url).toBe('https://shop.example/es/contacto');
    expect(vars.shop_timezone).toBe(service.shop.timezone);
    expect(vars.shop_local_weekday).toMatch(/^(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day$/);
    expect(vars.shop_local_time_24h).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);
    expect(typeof vars.shop_is_open_now).toBe('boolean');
    expect(vars.shop_next_open_day).toMatch(/^(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day$/);
    expect(vars.shop_next_open_time).toMatch(/^(1[0-2]|[1-9]):[0-5]\d (AM|PM)$/);
  });

  it('when the client secret is being refreshed, then a fresh secret is minted for the same visitor', async () => {
    const first = (await (await service.post({ user: 'anon_visitor_0002' })).json()) as { client_secret: string };
    const refreshed = await service.post({ user: 'anon_visitor_0002', current: first.client_secret });

    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as { client_secret: string };
    expect(body.client_secret).not.toBe(first.client_secret);
    expect(upstreamCalls().map((c) => (c.body as { user: string }).user)).toEqual([
      'anon_visitor_0002',
      'anon_visitor_0002',
    ]);
  });

  it('when the body is empty or has no user, then the server picks an anon_ user and the default locale', async () => {
    const bare = await fetch(`${service.url}/api/chatkit/session`, { method: 'POST', headers: { origin: SITE_ORIGIN } });
    expect(bare.status).toBe(200);
    const withUnknownLocale = await service.post({ locale: 'fr-CA' });
    expect(withUnknownLocale.status).toBe(200);

    const [first, second] = upstreamCalls().map(
      (c) => c.body as { user: string; workflow: { state_variables: Record<string, unknown> } },
    );
    expect(first?.user).toMatch(/^anon_[A-Za-z0-9_-]{8,64}$/);
    expect(second?.user).toMatch(/^anon_[A-Za-z0-9_-]{8,64}$/);
    expect(first?.user).not.toBe(second?.user);
    expect(second?.workflow.state_variables.locale).toBe(service.shop.locales.default);
  });

  it.each([
    ['user', { user: 'visitor-1' }, 'user'],
    ['user too short', { user: 'anon_abc' }, 'user'],
    ['locale', { locale: 'not a locale!' }, 'locale'],
    ['pageUrl relative', { pageUrl: '/en/contact' }, 'pageUrl'],
    ['pageUrl too long', { pageUrl: `https://shop.example/${'a'.repeat(2048)}` }, 'pageUrl'],
    ['current', { current: 42 }, 'current'],
  ])('when %s is invalid, then 400 names the field and nothing goes upstream', async (_name, body, field) => {
    const message = await expectError(await service.post(body), 400, 'invalid_request');
    expect(message).toContain(`"${field}"`);
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('when the body is not valid JSON, then 400 invalid_request', async () => {
    await expectError(await service.post(undefined, { rawBody: '{"locale": "en"' }), 400, 'invalid_request');
  });

  it('when the body is a JSON array, then 400 invalid_request', async () => {
    await expectError(await service.post(['en']), 400, 'invalid_request');
  });

  it('when the body is larger than 8 KB, then 413 payload_too_large', async () => {
    const response = await service.post({ current: 'x'.repeat(9 * 1024) });
    await expectError(response, 413, 'payload_too_large');
  });

  it('when the body is not JSON, then 415 unsupported_media_type', async () => {
    const response = await service.post(undefined, { rawBody: 'locale=en', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    await expectError(response, 415, 'unsupported_media_type');
  });

  it('when the path is unknown, then 404 not_found', async () => {
    await expectError(await service.post({}, { path: '/api/chatkit/nope' }), 404, 'not_found');
  });

  it('when the method is wrong, then 405 with Allow', async () => {
    const response = await fetch(`${service.url}/api/chatkit/session`);
    await expectError(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toContain('POST');
  });
});

describe('origins', () => {
  it('when the Origin is not allowed, then 403 origin_not_allowed and nothing goes upstream', async () => {
    const response = await service.post({}, { headers: { origin: 'https://evil.example' } });
    await expectError(response, 403, 'origin_not_allowed');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(upstreamCalls()).toHaveLength(0);
  });

  it('when there is no Origin header (server to server), then the request is served', async () => {
    const response = await fetch(`${service.url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
  });

  it('when a browser preflights from an allowed origin, then 204 with the CORS headers', async () => {
    const response = await fetch(`${service.url}/api/chatkit/session`, {
      method: 'OPTIONS',
      headers: { origin: SITE_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
  });

  it('when a browser preflights from a foreign origin, then 403', async () => {
    const response = await fetch(`${service.url}/api/chatkit/session`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    await expectError(response, 403, 'origin_not_allowed');
  });
});

describe('upstream failures', () => {
  it('when OpenAI answers 500, then 502 upstream_error without the upstream text', async () => {
    service.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'status', status: 500, message: 'UPSTREAM-SECRET-DETAIL' });
    const response = await service.post({});
    const text = await response.clone().text();
    await expectError(response, 502, 'upstream_error');
    expect(text).not.toContain('UPSTREAM-SECRET-DETAIL');
  });

  it('when OpenAI rejects the key (401), then 502 upstream_error, not a client auth error', async () => {
    service.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'status', status: 401 });
    await expectError(await service.post({}), 502, 'upstream_error');
  });

  it('when OpenAI answers garbage, then 502 upstream_error', async () => {
    service.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'malformed' });
    await expectError(await service.post({}), 502, 'upstream_error');
  });

  it('when OpenAI answers JSON without a client secret, then 502 upstream_error', async () => {
    service.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'malformed', body: '{"id":"cksess_1","object":"chatkit.session"}' });
    await expectError(await service.post({}), 502, 'upstream_error');
  });

  it('when OpenAI drops the connection, then 502 upstream_error', async () => {
    service.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'reset' });
    await expectError(await service.post({}), 502, 'upstream_error');
  });
});

describe('timeouts and retries', () => {
  it('when OpenAI is slower than the timeout, then 502 upstream_error', async () => {
    const slow = await startTestService({ openaiTimeoutMs: 300 });
    try {
      slow.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'delay', ms: 2000 });
      const started = Date.now();
      await expectError(await slow.post({}), 502, 'upstream_error');
      expect(Date.now() - started).toBeLessThan(1900);
    } finally {
      await slow.close();
    }
  });

  it('when OpenAI fails once with 503 and retries are configured, then the visitor still gets a session', async () => {
    const retrying = await startTestService({ openaiMaxRetries: 1 });
    try {
      retrying.stub.injectFault({ route: SESSIONS_ROUTE, kind: 'status', status: 503, retryAfterMs: 10 });
      const response = await retrying.post({});
      expect(response.status).toBe(200);
      expect(retrying.stub.requests.filter((r) => r.route === SESSIONS_ROUTE)).toHaveLength(2);
    } finally {
      await retrying.close();
    }
  });
});

describe('rate limit', () => {
  it('when one client exceeds the per-minute limit, then 429 rate_limited with Retry-After, and other clients are not affected', async () => {
    const limited = await startTestService({ rateLimitPerMinute: 3 });
    try {
      // trust proxy = 2: the client is the second address from the right of X-Forwarded-For.
      const asClient = (ip: string) => ({ headers: { 'x-forwarded-for': `${ip}, 203.0.113.250` } });
      for (let i = 0; i < 3; i += 1) expect((await limited.post({}, asClient('198.51.100.7'))).status).toBe(200);
      const blocked = await limited.post({}, asClient('198.51.100.7'));
      await expectError(blocked, 429, 'rate_limited');
      const retryAfter = Number(blocked.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect((await limited.post({}, asClient('198.51.100.8'))).status).toBe(200);
      expect(limited.stub.requests.filter((r) => r.route === SESSIONS_ROUTE)).toHaveLength(4);
    } finally {
      await limited.close();
    }
  });
});

describe('hygiene', () => {
  it('when any response is sent, then it has security headers and no x-powered-by', async () => {
    const response = await service.post({});
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age');
  });

  it('when GET /health, then 200 {"ok":true}', async () => {
    const response = await fetch(`${service.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('when sessions are minted and refreshed, then the logs hold neither client secrets nor the API key, and carry the trace', async () => {
    const first = (await (await service.post({ user: 'anon_visitor_0003' })).json()) as { client_secret: string };
    const second = await service.post(
      { user: 'anon_visitor_0003', current: first.client_secret },
      { headers: { 'x-cloud-trace-context': '105445aa7843bc8bf206b12000100000/1;o=1' } },
    );
    const secondSecret = ((await second.json()) as { client_secret: string }).client_secret;

    const logs = service.logs.text;
    expect(logs).not.toContain(first.client_secret);
    expect(logs).not.toContain(secondSecret);
    expect(logs).not.toContain('sk-test-session-service');
    const lines = service.logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const minted = lines.filter((line) => line.message === 'chatkit session minted');
    expect(minted.length).toBeGreaterThanOrEqual(2);
    expect(minted.every((line) => line.severity === 'INFO')).toBe(true);
    expect(lines.some((line) => line['logging.googleapis.com/trace'] === 'projects/test-project/traces/105445aa7843bc8bf206b12000100000')).toBe(true);
  });
});
