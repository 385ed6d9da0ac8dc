import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import type { SessionCreateParams } from 'openai/resources/beta/chatkit/sessions';
import { describe, expect, it } from 'vitest';
import { startOpenAIStub, type FaultSpec } from '../src/openai-stub/server.js';
import { useOpenAIStub } from './support/openai-stub-under-test.js';

const CREATE = 'POST /v1/chatkit/sessions';
const CANCEL = 'POST /v1/chatkit/sessions/{session_id}/cancel';

const params = {
  user: 'anon_abcdef12',
  workflow: {
    id: 'wf_68d0e1a2b3c4',
    state_variables: { locale: 'es-US', shop_is_open_now: true, shop_open_hours: 9 },
  },
} satisfies SessionCreateParams;

const harness = useOpenAIStub();
const client = harness.client.bind(harness);

describe('POST /v1/chatkit/sessions through the openai SDK', () => {
  it('when a session is created, then the SDK gets a complete chatkit.session', async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await client().beta.chatkit.sessions.create(params);
    const after = Math.floor(Date.now() / 1000);

    expect(session.id).toMatch(/^cksess_[0-9a-f]{48}$/);
    expect(session.object).toBe('chatkit.session');
    expect(session.client_secret).toMatch(/^ek_[A-Za-z0-9_-]{20,}$/);
    expect(session.status).toBe('active');
    expect(session.user).toBe(params.user);
    expect(session.expires_at).toBeGreaterThanOrEqual(before + 600);
    expect(session.expires_at).toBeLessThanOrEqual(after + 600);
    expect(session.max_requests_per_1_minute).toBe(10);
    expect(session.rate_limits).toEqual({ max_requests_per_1_minute: 10 });
    expect(session.workflow).toEqual({
      id: params.workflow.id,
      version: null,
      state_variables: params.workflow.state_variables,
      tracing: { enabled: true },
    });
    expect(session.chatkit_configuration).toEqual({
      automatic_thread_titling: { enabled: true },
      file_upload: { enabled: false, max_file_size: 512, max_files: 10 },
      history: { enabled: true, recent_threads: null },
    });
    expect(harness.stub.sessions.get(session.id)).toEqual(session);
  });

  it('when two sessions are created, then each has its own id and client secret', async () => {
    const sdk = client();
    const a = await sdk.beta.chatkit.sessions.create(params);
    const b = await sdk.beta.chatkit.sessions.create(params);
    expect(b.id).not.toBe(a.id);
    expect(b.client_secret).not.toBe(a.client_secret);
  });

  it('when a session is created, then the stub records the beta header, user, workflow and state variables', async () => {
    const { data, request_id } = await client().beta.chatkit.sessions.create(params).withResponse();

    const [recorded, ...rest] = harness.stub.requests;
    expect(rest).toHaveLength(0);
    expect(recorded).toMatchObject({
      id: request_id,
      method: 'POST',
      path: '/v1/chatkit/sessions',
      route: CREATE,
      authorized: true,
      fault: null,
      status: 200,
      body: { user: params.user, workflow: { id: params.workflow.id, state_variables: params.workflow.state_variables } },
    });
    expect(recorded?.headers['openai-beta']).toBe('chatkit_beta=v1');
    expect(recorded?.headers['content-type']).toMatch(/^application\/json/);
    expect(recorded?.headers).not.toHaveProperty('authorization');
    expect(data.id).toMatch(/^cksess_/);
  });

  it('when expires_after, rate_limits and tracing are given, then the session reflects them', async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await client().beta.chatkit.sessions.create({
      ...params,
      workflow: { ...params.workflow, version: '3', tracing: { enabled: false } },
      expires_after: { anchor: 'created_at', seconds: 120 },
      rate_limits: { max_requests_per_1_minute: 30 },
    });
    expect(session.expires_at - before).toBeGreaterThanOrEqual(120);
    expect(session.expires_at - before).toBeLessThanOrEqual(121);
    expect(session.max_requests_per_1_minute).toBe(30);
    expect(session.workflow.version).toBe('3');
    expect(session.workflow.tracing).toEqual({ enabled: false });
  });

  it('when no state variables are sent, then the session workflow has state_variables null', async () => {
    const session = await client().beta.chatkit.sessions.create({ user: 'u', workflow: { id: 'wf_1' } });
    expect(session.workflow.state_variables).toBeNull();
  });

  it('when the Authorization header is missing, then the SDK throws AuthenticationError (401)', async () => {
    const sessionsBefore = harness.stub.sessions.size;
    const error: unknown = await client()
      .beta.chatkit.sessions.create(params, { headers: { Authorization: null } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
    expect(harness.stub.requests[0]?.authorized).toBe(false);
    expect(harness.stub.sessions.size).toBe(sessionsBefore);
  });

  it('when the key is not an sk- key, then the SDK throws AuthenticationError and nothing is minted', async () => {
    const sessionsBefore = harness.stub.sessions.size;
    await expect(client({ apiKey: 'not-a-key' }).beta.chatkit.sessions.create(params)).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(harness.stub.sessions.size).toBe(sessionsBefore);
  });

  it('when the stub is configured with an apiKey, then only that key is accepted', async () => {
    const strict = await startOpenAIStub({ apiKey: 'sk-only-this-one' });
    try {
      const make = (apiKey: string) =>
        new OpenAI({ apiKey, baseURL: strict.baseURL, maxRetries: 0 }).beta.chatkit.sessions.create(params);
      await expect(make('sk-another-key')).rejects.toBeInstanceOf(AuthenticationError);
      await expect(make('sk-only-this-one')).resolves.toMatchObject({ object: 'chatkit.session' });
      expect(strict.requests.map((r) => r.authorized)).toEqual([false, true]);
    } finally {
      await strict.close();
    }
  });

  it('when the OpenAI-Beta header is missing, then the SDK throws BadRequestError with code invalid_beta', async () => {
    const error: unknown = await client()
      .beta.chatkit.sessions.create(params, { headers: { 'OpenAI-Beta': null } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_beta' });
  });

  it('when user is missing, then the SDK throws BadRequestError naming param user', async () => {
    const body = { workflow: params.workflow } as unknown as SessionCreateParams;
    const error: unknown = await client().beta.chatkit.sessions.create(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      param: 'user',
      code: 'missing_required_parameter',
      type: 'invalid_request_error',
    });
  });

  it.each([
    ['workflow.id is empty', { user: 'u', workflow: { id: '' } }, 'workflow.id', 'empty_string'],
    ['user is a number', { user: 7, workflow: { id: 'wf' } }, 'user', 'invalid_type'],
    [
      'a state variable is an object',
      { user: 'u', workflow: { id: 'wf', state_variables: { page: { url: 'x' } } } },
      'workflow.state_variables.page',
      'invalid_type',
    ],
    [
      'an unknown parameter is sent',
      { user: 'u', workflow: { id: 'wf', stateVariables: {} } },
      'workflow.stateVariables',
      'unknown_parameter',
    ],
    [
      'expires_after has a bad anchor',
      { user: 'u', workflow: { id: 'wf' }, expires_after: { anchor: 'now', seconds: 60 } },
      'expires_after.anchor',
      'invalid_value',
    ],
  ])('when %s, then the SDK throws BadRequestError naming %s', async (_case, body, param, code) => {
    const error: unknown = await client()
      .beta.chatkit.sessions.create(body as unknown as SessionCreateParams)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, param, code });
  });

  it('when the body is not JSON, then the stub answers 400 with an OpenAI-style error and a request id', async () => {
    const res = await fetch(`${harness.stub.baseURL}/chatkit/sessions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'openai-beta': 'chatkit_beta=v1', 'content-type': 'application/json' },
      body: '{"user":',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    expect(body.error['message']).toMatch(/could not parse the JSON body/);
    expect(harness.stub.requests[0]?.rawBody).toBe('{"user":');
  });
});

describe('POST /v1/chatkit/sessions/{session_id}/cancel', () => {
  it('when an active session is cancelled, then the SDK gets it back with status cancelled', async () => {
    const sdk = client();
    const created = await sdk.beta.chatkit.sessions.create(params);
    const cancelled = await sdk.beta.chatkit.sessions.cancel(created.id);
    expect(cancelled).toMatchObject({ id: created.id, status: 'cancelled', client_secret: created.client_secret });
    expect(harness.stub.sessions.get(created.id)?.status).toBe('cancelled');
    expect(harness.stub.requests[1]).toMatchObject({ route: CANCEL, path: `/v1/chatkit/sessions/${created.id}/cancel` });
    expect(harness.stub.requests[1]?.headers['openai-beta']).toBe('chatkit_beta=v1');
  });

  it('when an unknown session is cancelled, then the SDK throws NotFoundError', async () => {
    await expect(client().beta.chatkit.sessions.cancel('cksess_unknown')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('when an expired session is cancelled, then it stays expired', async () => {
    let now = Date.now();
    const clocked = await startOpenAIStub({ now: () => now });
    try {
      const sdk = new OpenAI({ apiKey: 'sk-test', baseURL: clocked.baseURL, maxRetries: 0 });
      const created = await sdk.beta.chatkit.sessions.create({
        ...params,
        expires_after: { anchor: 'created_at', seconds: 60 },
      });
      now += 61_000;
      await expect(sdk.beta.chatkit.sessions.cancel(created.id)).resolves.toMatchObject({ status: 'expired' });
    } finally {
      await clocked.close();
    }
  });
});

describe('unknown routes', () => {
  it('when an unknown path is requested, then the SDK throws NotFoundError with an Invalid URL message', async () => {
    const error: unknown = await client()
      .get('/models/not-served')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toContain('Invalid URL (GET /v1/models/not-served)');
    expect((error as NotFoundError).requestID).toMatch(/^req_/);
    expect(harness.stub.requests[0]?.route).toBeNull();
  });
});

describe('fault injection', () => {
  it('when a 500 fault is injected once, then the SDK throws InternalServerError and the next call succeeds', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'status', status: 500 });
    const sdk = client();
    const error: unknown = await sdk.beta.chatkit.sessions.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error' });
    await expect(sdk.beta.chatkit.sessions.create(params)).resolves.toMatchObject({ status: 'active' });
    expect(harness.stub.requests.map((r) => [r.fault, r.status])).toEqual([
      ['status', 500],
      [null, 200],
    ]);
    expect(harness.stub.faults).toEqual([]);
  });

  it('when a 429 with Retry-After 1 is injected once and the SDK may retry, then the SDK waits and succeeds', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'status', status: 429, retryAfter: 1, times: 1 });
    const started = performance.now();
    const session = await client({ maxRetries: 1 }).beta.chatkit.sessions.create(params);
    const elapsed = performance.now() - started;
    expect(session.status).toBe('active');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(harness.stub.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('when a 429 is injected and the SDK may not retry, then it throws RateLimitError carrying retry-after', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'status', status: 429, retryAfter: 7 });
    const error: unknown = await client().beta.chatkit.sessions.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers.get('retry-after')).toBe('7');
    expect(error).toMatchObject({ code: 'rate_limit_exceeded' });
  });

  it('when a fault is injected with times 2, then exactly two requests fail', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'status', status: 503, times: 2 });
    const sdk = client();
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      outcomes.push(
        await sdk.beta.chatkit.sessions.create(params).then(
          () => 'ok',
          (e: unknown) => (e instanceof InternalServerError ? `error ${e.status}` : 'unexpected'),
        ),
      );
    }
    expect(outcomes).toEqual(['error 503', 'error 503', 'ok']);
  });

  it("when a fault is injected with times 'always', then every request fails until the faults are cleared", async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'status', status: 502, times: 'always' });
    const sdk = client();
    await expect(sdk.beta.chatkit.sessions.create(params)).rejects.toBeInstanceOf(InternalServerError);
    await expect(sdk.beta.chatkit.sessions.create(params)).rejects.toBeInstanceOf(InternalServerError);
    expect(harness.stub.faults).toMatchObject([{ route: CREATE, remaining: 'always' }]);
    harness.stub.clearFaults();
    await expect(sdk.beta.chatkit.sessions.create(params)).resolves.toMatchObject({ status: 'active' });
  });

  it('when a fault targets the cancel route, then creating sessions is unaffected', async () => {
    harness.stub.injectFault({ route: CANCEL, kind: 'status', status: 500, times: Infinity });
    const sdk = client();
    const created = await sdk.beta.chatkit.sessions.create(params);
    await expect(sdk.beta.chatkit.sessions.cancel(created.id)).rejects.toBeInstanceOf(InternalServerError);
  });

  it('when a delay shorter than the SDK timeout is injected, then the call succeeds after the delay', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'delay', ms: 300 });
    const started = performance.now();
    await expect(client().beta.chatkit.sessions.create(params)).resolves.toMatchObject({ status: 'active' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('when a delay beyond the SDK timeout is injected, then the SDK throws APIConnectionTimeoutError', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'delay', ms: 2_000 });
    await expect(client({ timeout: 200 }).beta.chatkit.sessions.create(params)).rejects.toBeInstanceOf(
      APIConnectionTimeoutError,
    );
  });

  it('when a malformed body is injected, then the SDK throws instead of returning a session', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'malformed' });
    const error: unknown = await client().beta.chatkit.sessions.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyntaxError);
    expect(harness.stub.requests[0]).toMatchObject({ fault: 'malformed', status: 200 });
  });

  it('when a connection reset is injected, then the SDK throws APIConnectionError (not a timeout)', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'reset' });
    const error: unknown = await client().beta.chatkit.sessions.create(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(harness.stub.requests[0]).toMatchObject({ fault: 'reset', status: null });
  });

  it('when a hang is injected, then the SDK times out', async () => {
    harness.stub.injectFault({ route: CREATE, kind: 'hang' });
    await expect(client({ timeout: 300 }).beta.chatkit.sessions.create(params)).rejects.toBeInstanceOf(
      APIConnectionTimeoutError,
    );
    expect(harness.stub.requests[0]).toMatchObject({ fault: 'hang', status: null });
  });

  it('when the stub closes while a request hangs, then close resolves promptly and the caller sees a connection error', async () => {
    const own = await startOpenAIStub();
    own.injectFault({ route: CREATE, kind: 'hang' });
    const pending = new OpenAI({ apiKey: 'sk-test', baseURL: own.baseURL, maxRetries: 0, timeout: 30_000 })
      .beta.chatkit.sessions.create(params)
      .catch((e: unknown) => e);
    await waitFor(() => own.requests.length === 1);
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    const error = await pending;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('when a fault names an unknown route or kind, then injectFault throws and registers nothing', () => {
    expect(() => harness.stub.injectFault({ route: 'POST /v1/chatkit/session', kind: 'reset' })).toThrow(/unknown route/);
    expect(() =>
      harness.stub.injectFault({ route: CREATE, kind: 'status', status: 42 } as unknown as FaultSpec),
    ).toThrow(/Invalid fault/);
    expect(harness.stub.faults).toEqual([]);
  });
});

describe('control endpoints over HTTP', () => {
  it('when a fault is posted to /__stub/faults, then the SDK observes it', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: CREATE, kind: 'status', status: 500, times: 'always' }),
    });
    expect(res.status).toBe(201);
    const listed = (await (await fetch(`${harness.stub.url}/__stub/faults`)).json()) as { data: unknown[] };
    expect(listed.data).toMatchObject([{ route: CREATE, kind: 'status', status: 500, remaining: 'always' }]);

    await expect(client().beta.chatkit.sessions.create(params)).rejects.toBeInstanceOf(InternalServerError);

    expect((await fetch(`${harness.stub.url}/__stub/faults`, { method: 'DELETE' })).status).toBe(204);
    await expect(client().beta.chatkit.sessions.create(params)).resolves.toMatchObject({ status: 'active' });
  });

  it('when an invalid fault list is posted, then the stub answers 400 and registers none of it', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { route: CREATE, kind: 'reset' },
        { route: CREATE, kind: 'explode' },
      ]),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).toBe('invalid_fault');
    expect(harness.stub.faults).toEqual([]);
  });

  it('when requests are listed and then deleted over HTTP, then the log reflects both', async () => {
    await client().beta.chatkit.sessions.create(params);
    const res = await fetch(`${harness.stub.url}/__stub/requests`);
    const listed = (await res.json()) as { data: { route: string; body: unknown }[] };
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ route: CREATE, body: params });

    expect((await fetch(`${harness.stub.url}/__stub/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(harness.stub.requests).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
