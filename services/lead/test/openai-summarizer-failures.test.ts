import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import type { FaultSpec } from '@lead-intake/dev-tools/openai-stub/faults';
import { OpenAISummarizer } from '../src/adapters/openai-summarizer.js';
import { TransientError } from '../src/domain/errors.js';
import { summaryFailureOf, type SummaryFailure } from '../src/domain/summary-failure.js';
import type { Transcript } from '../src/domain/transcript.js';
import { degradedReasonText } from '../src/email/index.js';

const RESPONSES = 'POST /v1/responses';

/** A Responses API answer with the given output (what the model sent back) and status. */
function responseBody(output: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id: 'resp_fault',
    object: 'response',
    created_at: 1_790_000_000,
    status: 'completed',
    model: 'gpt-test',
    output,
    incomplete_details: null,
    ...extra,
  });
}
const message = (content: unknown[]) => ({ type: 'message', id: 'msg_fault', role: 'assistant', status: 'completed', content });

const transcript: Transcript = {
  threadId: 'cthr_summarizer_failures',
  title: null,
  user: 'anon_0123456789',
  version: 1,
  createdAt: 1_790_000_000,
  messages: [
    { id: 'msg_1', role: 'customer', text: 'My seat is torn, call me at 650 555 0199.', createdAt: 1_790_000_000, attachments: [] },
  ],
};

let stub: OpenAIStub;
let summarizer: OpenAISummarizer;
beforeAll(async () => {
  stub = await startOpenAIStub({ port: 0, fixtures: false });
  summarizer = new OpenAISummarizer(new OpenAI({ apiKey: 'sk-test', baseURL: stub.baseURL, maxRetries: 0, timeout: 300 }), 'gpt-test');
});
afterEach(() => stub.clearFaults());
afterAll(async () => {
  await stub.close();
});

/** The failure the summarizer reports for one fault, and whether Cloud Tasks would retry it. */
async function failureFor(fault: FaultSpec): Promise<{ failure: SummaryFailure; retried: boolean }> {
  stub.injectFault(fault);
  const error = await summarizer.summarize({ transcript, shopName: 'Rosewood', shopLanguage: 'en', pageUrl: null }).then(
    () => {
      throw new Error('the summary succeeded');
    },
    (failed: unknown) => failed,
  );
  return { failure: summaryFailureOf(error), retried: error instanceof TransientError };
}

describe('OpenAISummarizer failure reasons', () => {
  const body = {
    refusal: responseBody([message([{ type: 'refusal', refusal: 'I cannot help with that.' }])]),
    contentFilter: responseBody([], { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }),
    outputLimit: responseBody([message([{ type: 'output_text', text: '{"handoff_ready": tr', annotations: [] }])], {
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    }),
    empty: responseBody([]),
    notTheSummary: responseBody([message([{ type: 'output_text', text: '{"nope": 1}', annotations: [] }])]),
  };
  const malformed = (text?: string): FaultSpec => ({ route: RESPONSES, kind: 'malformed', ...(text ? { body: text } : {}) });
  const status = (code: number): FaultSpec => ({ route: RESPONSES, kind: 'status', status: code });

  it.each<{ when: string; fault: FaultSpec; failure: SummaryFailure; retried: boolean }>([
    { when: 'the service does not answer', fault: { route: RESPONSES, kind: 'hang' }, failure: { reason: 'timeout' }, retried: true },
    { when: 'the service answers 408', fault: status(408), failure: { reason: 'timeout', status: 408 }, retried: true },
    { when: 'the connection is reset', fault: { route: RESPONSES, kind: 'reset' }, failure: { reason: 'unreachable' }, retried: true },
    { when: 'the service answers 429', fault: status(429), failure: { reason: 'rate_limited', status: 429 }, retried: true },
    { when: 'the service answers 500', fault: status(500), failure: { reason: 'service_error', status: 500 }, retried: true },
    { when: 'the service answers 503', fault: status(503), failure: { reason: 'service_error', status: 503 }, retried: true },
    { when: 'the service answers 400', fault: status(400), failure: { reason: 'rejected', status: 400 }, retried: false },
    { when: 'the service answers 401', fault: status(401), failure: { reason: 'rejected', status: 401 }, retried: false },
    { when: 'the body is truncated JSON', fault: malformed(), failure: { reason: 'unusable_answer' }, retried: true },
    { when: 'the model refuses', fault: malformed(body.refusal), failure: { reason: 'refused' }, retried: false },
    { when: 'the content filter stops the answer', fault: malformed(body.contentFilter), failure: { reason: 'refused' }, retried: false },
    { when: 'the answer hits the output limit', fault: malformed(body.outputLimit), failure: { reason: 'incomplete' }, retried: false },
    { when: 'the answer is empty', fault: malformed(body.empty), failure: { reason: 'unusable_answer' }, retried: false },
    {
      when: 'the answer is JSON but not the summary',
      fault: malformed(body.notTheSummary),
      failure: { reason: 'unusable_answer' },
      retried: false,
    },
  ])('when $when, then the failure is $failure.reason (retried: $retried)', async ({ fault, failure, retried }) => {
    const outcome = await failureFor(fault);
    expect(outcome.failure).toEqual(failure);
    expect(outcome.retried).toBe(retried);
  });
});

describe('degraded email reason', () => {
  it('when the AI service failed with a status, then the line says so with the status, in the shop language', () => {
    expect(degradedReasonText({ reason: 'service_error', status: 503 }, 'en')).toBe(
      'The AI service failed with an error on its side. (HTTP 503)',
    );
    expect(degradedReasonText({ reason: 'timeout' }, 'es-MX')).toBe('El servicio de IA no respondió a tiempo.');
    expect(degradedReasonText({ reason: 'refused' }, 'vi')).toBe('The AI declined to summarize this conversation.');
  });

  it('when two failures differ in reason, then their lines differ', () => {
    const reasons = [
      'timeout',
      'unreachable',
      'rate_limited',
      'service_error',
      'rejected',
      'refused',
      'incomplete',
      'unusable_answer',
      'unknown',
    ] as const;
    for (const language of ['en', 'es']) {
      expect(new Set(reasons.map((reason) => degradedReasonText({ reason }, language))).size).toBe(reasons.length);
    }
  });
});
