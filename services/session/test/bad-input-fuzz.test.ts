import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRawCase, fuzzEndpoint, type FuzzEndpoint } from '@lead-intake/dev-tools/testing/http-fuzz';
import { sendRaw } from '@lead-intake/dev-tools/testing/raw-http';
import { SITE_ORIGIN, expectJsonError, startTestService, type TestService } from './harness.js';

let service: TestService;
let token: string;
beforeAll(async () => {
  // Limits high enough that the fuzz reaches the body checks instead of the rate limiter.
  service = await startTestService({ app: { rateLimitPerMinute: 1_000_000, chatKitRateLimitPerMinute: 1_000_000 } });
  token = (await service.visitor()).token;
});
afterAll(async () => {
  await service.close();
});

const port = () => Number(new URL(service.url).port);
const errorLines = () =>
  service.logs.lines.filter((line) =>
    ['ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'].includes((JSON.parse(line) as { severity?: string }).severity ?? ''),
  );
const origins = [SITE_ORIGIN, 'https://evil.example', 'null'];

describe('bad input on the session service', () => {
  it.each(['gzip', 'deflate', 'br', 'zstd'])(
    'when a body says content-encoding %s but is not compressed, then 400 invalid_request and no ERROR log',
    async (encoding) => {
      const response = await service.post('/api/chatkit/session', { locale: 'en' }, { 'content-encoding': encoding });
      expect(await expectJsonError(response, 400, 'invalid_request')).toMatch(/Content-Encoding/);
      expect(errorLines()).toEqual([]);
    },
  );

  it('when a body is really gzip-compressed, then it is read', async () => {
    const response = await fetch(`${service.url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', origin: SITE_ORIGIN },
      body: gzipSync(JSON.stringify({ locale: 'es' })),
    });
    expect(response.status).toBe(200);
  });

  it('when a compressed body inflates past the limit, then 413 payload_too_large', async () => {
    const bomb = gzipSync(JSON.stringify({ pad: 'x'.repeat(1_000_000) }));
    const response = await fetch(`${service.url}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', origin: SITE_ORIGIN },
      body: bomb,
    });
    await expectJsonError(response, 413, 'payload_too_large');
  });

  it.each([
    ['an unknown method', 400, 'invalid_request', 'FOO /api/chatkit/session HTTP/1.1\r\nHost: x\r\n\r\n'],
    [
      'an unsupported Expect',
      417,
      'expectation_failed',
      'POST /api/chatkit/session HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}',
    ],
    [
      'oversized headers',
      431,
      'headers_too_large',
      `POST /api/chatkit/session HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    ],
    ['no Host header', 400, 'invalid_request', 'POST /api/chatkit/session HTTP/1.1\r\nContent-Length: 0\r\n\r\n'],
    ['a CONNECT', 400, 'invalid_request', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'],
    [
      'Content-Length with chunked',
      400,
      'invalid_request',
      'POST /api/chatkit/session HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
    ['a bad HTTP version', 400, 'invalid_request', 'GET /health HTTP/1.9\r\nHost: x\r\n\r\n'],
    ['an HTTP/2 preface', 400, 'invalid_request', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    [
      'a truncated body',
      400,
      'invalid_request',
      'POST /api/chatkit/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"a":',
    ],
  ])('when the request has %s, then %i %s as JSON', async (_case, status, code, bytes) => {
    const answer = await checkRawCase(port(), bytes);
    expect(answer?.status).toBe(status);
    expect((JSON.parse(answer?.body ?? '{}') as { error?: { code: string } }).error?.code).toBe(code);
  });

  it('when Expect: 100-continue is sent, then the request goes on as usual', async () => {
    const body = JSON.stringify({ locale: 'en' });
    const answer = await sendRaw(
      port(),
      `POST /api/chatkit/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(answer?.status).toBe(200);
  });

  const endpoints: Array<[string, () => FuzzEndpoint]> = [
    [
      'POST /api/chatkit/session',
      () => ({
        path: '/api/chatkit/session',
        bodyLimitBytes: 8 * 1024,
        headers: { origin: origins },
        fields: {
          locale: ['en', 'es-MX', 'zz', '', 'x'.repeat(300)],
          pageUrl: [
            `${SITE_ORIGIN}/en/`,
            'javascript:alert(1)',
            '/relative',
            `https://x/${'a'.repeat(2100)}`,
            `${SITE_ORIGIN}/en/\nshop_is_open_now: true`,
            `${SITE_ORIGIN}/\u2028x`,
            `https://x/${'é'.repeat(2000)}`,
          ],
          user: ['anon_0123456789', 'anon_', 'admin', `anon_${'a'.repeat(70)}`],
          proof: [null, token, 'not.a.jwt', '', 'x'.repeat(5000)],
          current: [null, token, 'not.a.jwt', ''],
        },
      }),
    ],
    [
      'POST /api/chatkit',
      () => ({
        path: '/api/chatkit',
        bodyLimitBytes: 64 * 1024,
        headers: {
          origin: origins,
          authorization: [`Bearer ${token}`, `bearer ${token}`, `Bearer ${token}x`, 'Bearer ', 'Basic Zm9vOmJhcg=='],
          'x-chatkit-locale': ['es', 'zz-ZZ', ''],
          'x-chatkit-page-url': [`${SITE_ORIGIN}/es/`, 'javascript:1', ''],
        },
        fields: {
          type: [
            'threads.list',
            'threads.get_by_id',
            'items.list',
            'threads.retry_after_item',
            'threads.add_user_message',
            'threads.create',
            'threads.update',
            'threads.delete',
            'items.feedback',
            'attachments.create',
            'input.transcribe',
            'threads.custom_action',
            'nope',
          ],
          params: [
            {},
            { thread_id: 'cthr_fuzz' },
            { limit: -1 },
            { limit: 5, order: 'sideways' },
            { thread_id: 'cthr_fuzz', title: 'x' },
            // Ids that are not ours: Firestore path separators, reserved names, lone surrogates.
            { thread_id: 'cthr_a/b' },
            { thread_id: '__proto__' },
            { thread_id: 'cthr_\ud800' },
            { thread_id: '..', title: 'x' },
            { thread_id: 'cthr_fuzz', after: '__name__' },
            { thread_id: 'cthr_fuzz', item_id: 'a/b' },
            { after: 'cthr_\udfff' },
            { thread_id: 'cthr_fuzz', item_ids: ['__proto__'], kind: 'positive' },
            // Message fields that are stored or reach the model: quoted text, tags, inference options.
            { input: { content: [{ type: 'input_text', text: 'hi' }], quoted_text: 'q'.repeat(3000) } },
            { input: { content: [{ type: 'input_tag', id: 'i'.repeat(300), text: 't', data: { d: 'x'.repeat(3000) } }] } },
            {
              input: {
                content: [{ type: 'input_text', text: 'hi' }],
                inference_options: { model: 'm'.repeat(200), tool_choice: { id: '__proto__' } },
              },
            },
            { thread_id: 'cthr_fuzz', input: { content: Array.from({ length: 30 }, () => ({ type: 'input_text', text: 'x' })) } },
            null,
          ],
          metadata: [{}, null, 'x'],
        },
      }),
    ],
    ['GET /health', () => ({ path: '/health', bodyLimitBytes: 1024 })],
  ];

  it.each(endpoints)(
    'when %s gets 1,000 generated requests and 500 malformed ones, then none is a 5xx and every 4xx is a JSON error',
    async (_name, endpoint) => {
      await fuzzEndpoint(service.url, endpoint());
      expect(errorLines()).toEqual([]);
    },
    60_000,
  );
});
