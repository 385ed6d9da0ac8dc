/**
 * What every route of the OpenAI stand-in shares, through the real `openai` SDK: auth, request ids
 * and errors, the 404 for paths it does not serve (the retired ChatKit routes included), the
 * request log, fault injection and the `/__stub/*` control API. Route behaviour itself:
 * openai-stub-responses.test.ts, openai-stub-streaming.test.ts.
 */
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { startOpenAIStub, type FaultSpec } from '../src/openai-stub/server.js';
import { useOpenAIStub } from './support/openai-stub-under-test.js';

const RESPONSES = 'POST /v1/responses';
const MODEL = 'gpt-4.1-mini';
const params = { model: MODEL, input: 'My driver seat is torn.', metadata: { shop: 'rosewood' } };

const harness = useOpenAIStub();
const client = harness.client.bind(harness);
const create = (sdk: OpenAI = client()) => sdk.responses.create(params);

describe('authentication and request ids', () => {
  it('when a request is answered, then the stub records method, path, route, body and headers (never the key)', async () => {
    const { data, request_id } = await create().withResponse();

    const [recorded, ...rest] = harness.stub.requests;
    expect(rest).toHaveLength(0);
    expect(request_id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(recorded).toMatchObject({
      id: request_id,
      method: 'POST',
      path: '/v1/responses',
      route: RESPONSES,
      authorized: true,
      fault: null,
      status: 200,
      body: params,
    });
    expect(recorded?.headers['content-type']).toMatch(/^application\/json/);
    expect(recorded?.headers).not.toHaveProperty('authorization');
    expect(data.status).toBe('completed');
  });

  it('when the Authorization header is missing, then the SDK throws AuthenticationError (401)', async () => {
    const error: unknown = await client()
      .responses.create(params, { headers: { Authorization: null } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    expect(harness.stub.requests[0]).toMatchObject({ authorized: false, status: 401 });
  });

  it('when the key is not an sk- key, then the SDK throws AuthenticationError with the key masked', async () => {
    const error: unknown = await create(client({ apiKey: 'not-a-real-key' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).message).toMatch(/Incorrect API key provided: not\*+-key\./);
  });

  it('when the stub is configured with an apiKey, then only that key is accepted', async () => {
    const strict = await startOpenAIStub({ apiKey: 'sk-only-this-one', fixtures: false });
    try {
      const make = (apiKey: string) => create(new OpenAI({ apiKey, baseURL: strict.baseURL, maxRetries: 0 }));
      await expect(make('sk-another-key')).rejects.toBeInstanceOf(AuthenticationError);
      await expect(make('sk-only-this-one')).resolves.toMatchObject({ object: 'response' });
      expect(strict.requests.map((r) => r.authorized)).toEqual([false, true]);
    } finally {
      await strict.close();
    }
  });

  it('when the body is not JSON, then the stub answers 400 with an OpenAI-style error and a request id', async () => {
    const res = await fetch(`${harness.stub.baseURL}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    expect(body.error['message']).toMatch(/could not parse the JSON body/);
    expect(harness.stub.requests[0]?.rawBody).toBe('{"model":');
  });
});

describe('paths the stand-in does not serve', () => {
  it('when an unknown path is requested, then the SDK throws NotFoundError with an Invalid URL message', async () => {
    const error: unknown = await client()
      .get('/models/not-served')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toContain('Invalid URL (GET /v1/models/not-served)');
    expect((error as NotFoundError).requestID).toMatch(/^req_/);
    expect(harness.stub.requests[0]?.route).toBeNull();
  });

  it.each([
    ['POST', '/v1/chatkit/sessions', { user: 'anon_abcdef12', workflow: { id: 'wf_68d0e1a2b3c4' } }],
    ['GET', '/v1/chatkit/threads/x/items', undefined],
  ] as const)(
    'when %s %s (a retired ChatKit route) is requested, then it answers the 404 of any unknown route',
    async (method, path, body) => {
      const res = await fetch(`${harness.stub.url}${path}`, {
        method,
        headers: {
          authorization: 'Bearer sk-test',
          'openai-beta': 'chatkit_beta=v1',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('x-request-id')).toMatch(/^req_/);
      expect(await res.json()).toEqual({
        error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error', param: null, code: null },
      });
      expect(harness.stub.requests).toMatchObject([{ method, path, route: null, status: 404 }]);
      expect(harness.stub.routes).toEqual([RESPONSES]);
    },
  );
});

describe('fault injection', () => {
  it('when a 500 fault is injected once, then the SDK throws InternalServerError and the next call succeeds', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 500 });
    const sdk = client();
    const error: unknown = await create(sdk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error' });
    await expect(create(sdk)).resolves.toMatchObject({ status: 'completed' });
    expect(harness.stub.requests.map((r) => [r.fault, r.status])).toEqual([
      ['status', 500],
      [null, 200],
    ]);
    expect(harness.stub.faults).toEqual([]);
  });

  it('when a 429 with Retry-After 1 is injected once and the SDK may retry, then the SDK waits and succeeds', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, retryAfter: 1, times: 1 });
    const started = performance.now();
    const response = await create(client({ maxRetries: 1 }));
    const elapsed = performance.now() - started;
    expect(response.status).toBe('completed');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(harness.stub.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('when a 429 is injected and the SDK may not retry, then it throws RateLimitError carrying retry-after', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, retryAfter: 7 });
    const error: unknown = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7');
    expect(error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('when a fault is injected with times 2, then exactly two requests fail', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 503, times: 2 });
    const sdk = client();
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(
        await create(sdk).then(
          () => 'ok',
          (e: unknown) => (e instanceof InternalServerError ? `error ${e.status}` : 'unexpected'),
        ),
      );
    }
    expect(outcomes).toEqual(['error 503', 'error 503', 'ok']);
  });

  it("when a fault is injected with times 'always', then every request fails until the faults are cleared", async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 502, times: 'always' });
    const sdk = client();
    await expect(create(sdk)).rejects.toBeInstanceOf(InternalServerError);
    await expect(create(sdk)).rejects.toBeInstanceOf(InternalServerError);
    expect(harness.stub.faults).toMatchObject([{ route: RESPONSES, remaining: 'always' }]);
    harness.stub.clearFaults();
    await expect(create(sdk)).resolves.toMatchObject({ status: 'completed' });
  });

  it("when a fault names route '*', then it applies to the next request of any route", async () => {
    harness.stub.injectFault({ route: '*', kind: 'status', status: 500, times: Infinity });
    await expect(create()).rejects.toBeInstanceOf(InternalServerError);
    expect(harness.stub.faults).toMatchObject([{ route: '*', remaining: 'always' }]);
  });

  it('when a delay shorter than the SDK timeout is injected, then the call succeeds after the delay', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'delay', ms: 300 });
    const started = performance.now();
    await expect(create()).resolves.toMatchObject({ status: 'completed' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('when a delay beyond the SDK timeout is injected, then the SDK throws APIConnectionTimeoutError', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'delay', ms: 2_000 });
    await expect(create(client({ timeout: 200 }))).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('when a malformed body is injected, then the SDK throws instead of returning a response', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'malformed' });
    const error: unknown = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    expect(harness.stub.requests[0]).toMatchObject({ fault: 'malformed', status: 200 });
  });

  it('when a connection reset is injected, then the SDK throws APIConnectionError (not a timeout)', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'reset' });
    const error: unknown = await create().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(harness.stub.requests[0]).toMatchObject({ fault: 'reset', status: null });
  });

  it('when a hang is injected, then the SDK times out', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'hang' });
    await expect(create(client({ timeout: 300 }))).rejects.toBeInstanceOf(APIConnectionTimeoutError);
    expect(harness.stub.requests[0]).toMatchObject({ fault: 'hang', status: null });
  });

  it('when the stub closes while a request hangs, then close resolves promptly and the caller sees a connection error', async () => {
    const own = await startOpenAIStub({ fixtures: false });
    own.injectFault({ route: RESPONSES, kind: 'hang' });
    const pending = create(new OpenAI({ apiKey: 'sk-test', baseURL: own.baseURL, maxRetries: 0, timeout: 30_000 })).catch(
      (e: unknown) => e,
    );
    await waitFor(() => own.requests.length === 1);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('when a fault names an unknown route (a retired one included) or kind, then injectFault throws and registers nothing', () => {
    expect(() => harness.stub.injectFault({ route: 'POST /v1/chatkit/sessions', kind: 'reset' })).toThrow(
      /unknown route 'POST \/v1\/chatkit\/sessions'\. Known routes: POST \/v1\/responses, or '\*'/,
    );
    expect(() => harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 42 } as unknown as FaultSpec)).toThrow(
      /Invalid fault/,
    );
    expect(harness.stub.faults).toEqual([]);
  });
});

describe('control endpoints over HTTP', () => {
  it('when /__stub/health is read, then it lists the routes served', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/health`);
    expect(await res.json()).toEqual({ ok: true, routes: [RESPONSES] });
  });

  it('when a fault is posted to /__stub/faults, then the SDK observes it', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: RESPONSES, kind: 'status', status: 500, times: 'always' }),
    });
    expect(res.status).toBe(201);
    const listed = (await (await fetch(`${harness.stub.url}/__stub/faults`)).json()) as { data: unknown[] };
    expect(listed.data).toMatchObject([{ route: RESPONSES, kind: 'status', status: 500, remaining: 'always' }]);

    await expect(create()).rejects.toBeInstanceOf(InternalServerError);

    expect((await fetch(`${harness.stub.url}/__stub/faults`, { method: 'DELETE' })).status).toBe(204);
    await expect(create()).resolves.toMatchObject({ status: 'completed' });
  });

  it('when an invalid fault list is posted, then the stub answers 400 and registers none of it', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { route: RESPONSES, kind: 'reset' },
        { route: RESPONSES, kind: 'explode' },
      ]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('invalid_fault');
    expect(harness.stub.faults).toEqual([]);
  });

  it('when requests are listed and then deleted over HTTP, then the log reflects both', async () => {
    await create();
    const res = await fetch(`${harness.stub.url}/__stub/requests`);
    const listed = (await res.json()) as { data: { route: string; body: unknown }[] };
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ route: RESPONSES, body: params });

    expect((await fetch(`${harness.stub.url}/__stub/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(harness.stub.requests).toEqual([]);
  });

  it('when an unknown control endpoint is requested, then it answers 404 naming it', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/threads`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Unknown stub control endpoint (GET /__stub/threads).',
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
