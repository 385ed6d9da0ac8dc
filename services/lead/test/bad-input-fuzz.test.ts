import { randomUUID } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRawCase, fuzzEndpoint, type FuzzEndpoint } from '@lead-intake/dev-tools/testing/http-fuzz';
import { newLeadRecord } from '../src/domain/lead-record.js';
import { SITE_ORIGIN, startLeadEnv, type LeadEnv } from './harness.js';

/** Lets the fuzz reach the task endpoints' body checks: this header passes, anything else is refused as usual. */
const TASK_AUTH = 'Bearer fuzz-accepted';
const fuzzVerifier = {
  verify: async (authorization: string | undefined) =>
    authorization === TASK_AUTH ? ({ ok: true } as const) : ({ ok: false, status: 401, reason: 'not the fuzz token' } as const),
};

let env: LeadEnv;
beforeAll(async () => {
  env = await startLeadEnv({ overrides: { rateLimitPerMinute: 1_000_000, verifier: fuzzVerifier, triggerVerifier: fuzzVerifier } });
  const now = Date.now();
  await env.firestore
    .collection(env.collection)
    .doc(SENT_THREAD)
    .set({
      ...newLeadRecord(SENT_THREAD, now),
      state: 'sent',
      sentAt: now,
      lastOutcome: 'sent',
      expiresAt: Timestamp.fromMillis(now + 86_400_000),
    });
});
afterAll(async () => {
  await env.close();
});

const port = () => Number(new URL(env.url).port);
const errorLines = () =>
  env.logEntries().filter((entry) => ['ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'].includes(String(entry['severity'])));

/**
 * The lead tasks' thread: its lead was sent, so every valid task answers 200 (stale or
 * already_sent). On an unsent thread a second valid safety net would rightly answer 503 (deferred
 * while the first one's failure cools down; Cloud Tasks retries it), which is not bad input.
 */
const SENT_THREAD = 'cthr_fuzz_sent';

/** Valid-looking values first (an unknown thread: the answers stay 404 / stale, no email is ever due). */
const leadFields = {
  threadId: ['cthr_fuzz_nobody', 'cthr_', 'thread_1', `cthr_${'a'.repeat(200)}`],
  reason: ['idle', 'auto', 'pagehide', 'chat_closed', 'bored'],
  locale: ['en', 'es-MX', 'zz', ''],
  pageUrl: [`${SITE_ORIGIN}/en/`, 'javascript:alert(1)', 'not a url'],
  user: ['anon_0123456789', 'anon_', 'root'],
};

describe('bad input on the lead service', () => {
  it.each(['gzip', 'deflate', 'br', 'zstd'])(
    'when a lead trigger says content-encoding %s but is not compressed, then 400 invalid_request and no ERROR log',
    async (encoding) => {
      const response = await env.trigger({ threadId: 'cthr_fuzz_nobody', reason: 'idle' }, { headers: { 'content-encoding': encoding } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
      expect(errorLines()).toEqual([]);
    },
  );

  it.each([
    ['an unknown method', 400, 'invalid_request', 'FOO /api/chatkit/lead HTTP/1.1\r\nHost: x\r\n\r\n'],
    [
      'an unsupported Expect',
      417,
      'expectation_failed',
      'POST /api/chatkit/lead HTTP/1.1\r\nHost: x\r\nExpect: nothing\r\nContent-Length: 2\r\n\r\n{}',
    ],
    [
      'oversized headers',
      431,
      'headers_too_large',
      `POST /tasks/lead HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(40_000)}\r\n\r\n`,
    ],
    [
      'a malformed chunked body',
      400,
      'invalid_request',
      'POST /api/chatkit/lead HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    ],
  ])('when the request has %s, then %i %s as JSON', async (_case, status, code, bytes) => {
    const answer = await checkRawCase(port(), bytes);
    expect(answer?.status).toBe(status);
    expect((JSON.parse(answer?.body ?? '{}') as { error?: { code: string } }).error?.code).toBe(code);
  });

  const endpoints: Array<[string, FuzzEndpoint]> = [
    [
      'POST /api/chatkit/lead',
      {
        path: '/api/chatkit/lead',
        bodyLimitBytes: 8 * 1024,
        headers: { origin: [SITE_ORIGIN, 'https://evil.example', 'null'] },
        fields: leadFields,
      },
    ],
    [
      'POST /tasks/trigger',
      {
        path: '/tasks/trigger',
        bodyLimitBytes: 8 * 1024,
        headers: { authorization: [TASK_AUTH, 'Bearer forged', 'Basic eDp5'] },
        fields: leadFields,
      },
    ],
    [
      'POST /tasks/lead',
      {
        path: '/tasks/lead',
        bodyLimitBytes: 64 * 1024,
        headers: {
          authorization: [TASK_AUTH, 'Bearer forged'],
          'x-cloudtasks-taskretrycount': ['0', '3', '-1', 'many'],
          'x-cloudtasks-taskname': ['fuzz', ''],
        },
        fields: {
          kind: ['evaluate', 'safety_net', 'nope'],
          threadId: [SENT_THREAD, ...leadFields.threadId.slice(1)],
          leaseId: [randomUUID(), 'lease-1'],
          trigger: ['idle', 'resend', 'later'],
          locale: leadFields.locale,
          pageUrl: leadFields.pageUrl,
        },
      },
    ],
    ['GET /health', { path: '/health', bodyLimitBytes: 1024 }],
  ];

  it.each(endpoints)(
    'when %s gets 1,000 generated requests and 500 malformed ones, then none is a 5xx and every 4xx is a JSON error',
    async (_name, endpoint) => {
      await fuzzEndpoint(env.url, endpoint);
      expect(errorLines()).toEqual([]);
    },
    60_000,
  );
});
