import OpenAI, { AuthenticationError, BadRequestError, InternalServerError, RateLimitError } from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
// The lead service's real schema: the stub must satisfy exactly what the service will send.
import { leadSummarySchema } from '@lead-intake/shared/api';
import { schemaViolations } from '../src/openai-stub/schema-check.js';
import { strictSchemaError } from '../src/openai-stub/strict-schema.js';
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import { loadConversationFixtures, type ConversationFixture } from '../src/fixtures/index.js';
import { useOpenAIStub } from './support/openai-stub-under-test.js';

const RESPONSES = 'POST /v1/responses';
const MODEL = 'gpt-4.1-mini';
const INSTRUCTIONS =
  'You summarize a chat between a customer and an auto upholstery shop assistant for the shop. Answer in the lead_summary JSON format.';

const fixtures = await loadConversationFixtures();
const harness = useOpenAIStub();
const client = harness.client.bind(harness);

/**
 * A transcript the way the lead service renders one (`Thread: <id>`, then `Customer:` /
 * `Assistant:` lines; other items skipped), from our thread store's items.
 */
function transcript(threadId: string, items: readonly ThreadItem[]): string {
  const lines = items.flatMap((item) => {
    if (item.type === 'user_message') {
      const quoted = item.quoted_text ? [`> ${item.quoted_text}`] : [];
      const text = [...quoted, ...item.content.map((c) => c.text)].join('\n');
      const files = item.attachments.length > 0 ? ` [attachments: ${item.attachments.map((a) => a.name).join(', ')}]` : '';
      return [`Customer: ${text}${files}`];
    }
    if (item.type === 'assistant_message') return [`Assistant: ${item.content.map((c) => c.text).join('')}`];
    return [];
  });
  return [`Thread: ${threadId}`, '', ...lines].join('\n');
}

function summarizeText(text: string) {
  return client().responses.parse({
    model: MODEL,
    input: [
      { role: 'developer', content: INSTRUCTIONS },
      { role: 'user', content: [{ type: 'input_text', text }] },
    ],
    text: { format: zodTextFormat(leadSummarySchema, 'lead_summary') },
  });
}

function summarize(threadId: string, items: readonly ThreadItem[]) {
  return summarizeText(transcript(threadId, items));
}

describe('POST /v1/responses with the lead summary schema, for every fixture', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))(
    'when %s is summarized with responses.parse, then output_parsed is a valid lead summary matching expect',
    async (_name, f: ConversationFixture) => {
      const response = await summarize(f.thread.id, f.items);
      const summary = response.output_parsed;

      expect(summary).not.toBeNull();
      expect(leadSummarySchema.safeParse(summary).success).toBe(true);
      expect(summary?.handoff_ready).toBe(f.expect.handoffReady);
      expect(summary?.customer_language).toBe(f.expect.language);
      expect(summary?.call_script_prompts).toHaveLength(3);
      if (f.expect.missingInfo) expect(summary?.missing_info).toEqual(f.expect.missingInfo);
      if (f.expect.handoffReady) expect(summary?.missing_info).toEqual([]);
      if (f.expect.customerName !== undefined && f.summary?.customer_name === undefined) {
        expect(summary?.customer_name).toBe(f.expect.customerName);
      }
      for (const [key, value] of Object.entries(f.summary ?? {})) {
        expect(summary?.[key as keyof typeof summary], key).toEqual(value);
      }
    },
  );

  it('when the same transcript is summarized twice, then the summaries are identical (deterministic)', async () => {
    const f = fixtures.find((x) => x.name === 'boat_seats_vi');
    if (!f) throw new Error('missing fixture');
    const [a, b] = await Promise.all([summarize(f.thread.id, f.items), summarize(f.thread.id, f.items)]);
    expect(a.output_parsed).toEqual(b.output_parsed);
    expect(a.id).not.toBe(b.id);
  });

  it('when customers write in different languages, then the outreach message uses that language', async () => {
    const greeting: Record<string, RegExp> = { en: /^Hi\b/, es: /^Hola\b/, vi: /^Chào\b/, zh: /您好/, fr: /^Bonjour\b/ };
    for (const lang of Object.keys(greeting)) {
      const f = fixtures.find((x) => x.expect.language === lang && x.summary?.outreach_message === undefined);
      if (!f) throw new Error(`no ${lang} fixture`);
      const { output_parsed } = await summarize(f.thread.id, f.items);
      expect(output_parsed?.outreach_message, f.name).toMatch(greeting[lang] ?? /./);
    }
  });
});

describe('POST /v1/responses: the response object', () => {
  it('when a summary is requested, then the SDK gets a complete, completed response with usage', async () => {
    const f = fixtures[0];
    if (!f) throw new Error('no fixtures');
    const { data: response, request_id } = await summarize(f.thread.id, f.items).withResponse();

    expect(request_id).toMatch(/^req_/);
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      model: MODEL,
      error: null,
      incomplete_details: null,
      text: { format: { type: 'json_schema', name: 'lead_summary', strict: true } },
    });
    expect(response.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(response.created_at).toBeGreaterThan(1_700_000_000);
    const [message, ...rest] = response.output;
    expect(rest).toHaveLength(0);
    expect(message).toMatchObject({ type: 'message', role: 'assistant', status: 'completed' });
    expect(message?.type === 'message' && message.id).toMatch(/^msg_/);
    expect(JSON.parse(response.output_text)).toEqual(response.output_parsed);
    const usage = response.usage;
    expect(usage?.total_tokens).toBe((usage?.input_tokens ?? 0) + (usage?.output_tokens ?? 0));
    expect(usage?.input_tokens).toBeGreaterThan(50);
  });

  it('when a summary is pinned from code for the thread id in the input, then those fields win and the rest is derived', async () => {
    const id = 'cthr_code_override';
    const text = [
      `Thread: ${id}`,
      '',
      'Customer: Hola, el asiento de mi Honda está roto. Mi correo es ana@example.com',
      'Assistant: ¡Gracias! El taller le escribirá.',
    ].join('\n');
    harness.stub.summaries.set(id, { handoff_ready: false, handoff_reason: 'Pinned by the test.' });
    try {
      const { output_parsed } = await summarizeText(text);
      expect(output_parsed).toMatchObject({ handoff_ready: false, handoff_reason: 'Pinned by the test.', customer_language: 'es' });
    } finally {
      harness.stub.summaries.delete(id);
    }
    const { output_parsed } = await summarizeText(text);
    expect(output_parsed).toMatchObject({ handoff_ready: true, customer_language: 'es' });
  });

  it('when the input is a plain string without speaker labels, then the whole text counts as the customer', async () => {
    const response = await client().responses.parse({
      model: MODEL,
      instructions: INSTRUCTIONS,
      input: 'My convertible top is ripped, 2004 BMW Z4. Call me at 650-555-0135.',
      text: { format: zodTextFormat(leadSummarySchema, 'lead_summary') },
    });
    expect(response.output_parsed).toMatchObject({ handoff_ready: true, vehicle: '2004 BMW Z4', customer_language: 'en' });
    expect(response.instructions).toBe(INSTRUCTIONS);
  });

  it('when no text.format is given, then the answer is plain text from the shop intake assistant', async () => {
    const response = await client().responses.create({ model: MODEL, input: 'Say hello to the shop.' });
    expect(response.output_text).toMatch(/^What can we help you with\? Tell me what needs repair/);
    expect(() => JSON.parse(response.output_text) as unknown).toThrow();
    expect(response.text?.format).toEqual({ type: 'text' });
  });

  it('when json_object is asked for, then the input must mention JSON and the answer is a JSON object', async () => {
    const ok = await client().responses.create({
      model: MODEL,
      input: 'Answer in JSON: what is this?',
      text: { format: { type: 'json_object' } },
    });
    expect(JSON.parse(ok.output_text)).toEqual({ reply: expect.any(String) });
    const err = await client()
      .responses.create({ model: MODEL, input: 'no format word here', text: { format: { type: 'json_object' } } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
  });

  it('when no OpenAI-Beta header is sent, then the route still answers (it is not a beta API)', async () => {
    const res = await fetch(`${harness.stub.baseURL}/responses`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: MODEL, input: 'hi' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ object: 'response', status: 'completed' });
  });
});

describe('POST /v1/responses: validation like the real API', () => {
  async function badRequest(body: Record<string, unknown>): Promise<BadRequestError> {
    const err = await client()
      .responses.create(body as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    return err as BadRequestError;
  }

  it('when model is missing, then 400 names model', async () => {
    const err = await badRequest({ input: 'hi' });
    expect(err).toMatchObject({ param: 'model', code: 'missing_required_parameter' });
  });

  it('when input is neither a string nor a list of messages, then 400 names input', async () => {
    expect((await badRequest({ model: MODEL, input: 42 })).param).toBe('input');
    expect((await badRequest({ model: MODEL, input: [{ role: 'robot', content: 'x' }] })).param).toBe('input[0].role');
    expect((await badRequest({ model: MODEL })).param).toBe('input');
  });

  it('when an unknown parameter is sent, then 400 unknown_parameter', async () => {
    expect(await badRequest({ model: MODEL, input: 'x', temprature: 1 })).toMatchObject({
      param: 'temprature',
      code: 'unknown_parameter',
    });
  });

  it('when stream_options is sent without stream: true, then 400 names stream_options (streaming itself: openai-stub-streaming.test.ts)', async () => {
    const err = await badRequest({ model: MODEL, input: 'hi', stream_options: { include_obfuscation: false } });
    expect(err).toMatchObject({ param: 'stream_options', code: 'invalid_value' });
  });

  it('when a json_schema format has no name, then 400 names text.format.name', async () => {
    const err = await badRequest({
      model: MODEL,
      input: 'x',
      text: { format: { type: 'json_schema', schema: { type: 'object', properties: {} } } },
    });
    expect(err.param).toBe('text.format.name');
  });

  it('when a strict schema is not closed or not fully required, then 400 invalid_json_schema like the real API', async () => {
    const open = await badRequest({
      model: MODEL,
      input: 'x',
      text: {
        format: {
          type: 'json_schema',
          name: 'open',
          strict: true,
          schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
        },
      },
    });
    expect(open).toMatchObject({ code: 'invalid_json_schema', param: 'text.format.schema' });
    expect(open.message).toContain("In context=(), 'additionalProperties' is required to be supplied and to be false");

    const partial = await badRequest({
      model: MODEL,
      input: 'x',
      text: {
        format: {
          type: 'json_schema',
          name: 'partial',
          strict: true,
          schema: {
            type: 'object',
            additionalProperties: false,
            properties: { a: { type: 'string' }, b: { type: 'object', properties: {}, additionalProperties: false } },
            required: ['a'],
          },
        },
      },
    });
    expect(partial.message).toContain("Missing 'b'");
  });

  it('when the bearer key is missing or wrong, then the SDK throws AuthenticationError', async () => {
    const sdk = new OpenAI({ apiKey: 'bad', baseURL: harness.stub.baseURL, maxRetries: 0 });
    await expect(sdk.responses.create({ model: MODEL, input: 'x' })).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('POST /v1/responses: structured outputs are the lead summary only', () => {
  async function refused(schema: z.ZodObject, name: string, input: string): Promise<BadRequestError> {
    const err = await client()
      .responses.parse({ model: MODEL, input, text: { format: zodTextFormat(schema, name) } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    return err as BadRequestError;
  }

  it('when another schema is asked for, then 400 stand_in_unsupported_schema says only the lead summary is answered', async () => {
    const err = await refused(z.object({ status: z.enum(['new', 'won']) }), 'deal', 'Fill in the schema.');
    expect(err).toMatchObject({ code: 'stand_in_unsupported_schema', param: 'text.format.schema' });
    expect(err.message).toMatch(/lead summary schema only .*'deal'/);
  });

  it('when the lead schema asks for a field the stand-in does not derive, then 400 names the field', async () => {
    const f = fixtures.find((x) => x.name === 'headliner_sag_es');
    if (!f) throw new Error('missing fixture');
    const evolved = leadSummarySchema.extend({ priority: z.enum(['low', 'normal', 'urgent']) });
    const err = await refused(evolved, 'lead_summary', transcript(f.thread.id, f.items));
    expect(err).toMatchObject({ code: 'stand_in_unsupported_schema' });
    expect(err.message).toContain("must have required property 'priority'");
  });

  it('when the lead schema narrows a field the derived value breaks, then 400 names that field', async () => {
    const f = fixtures.find((x) => x.name === 'headliner_sag_es');
    if (!f) throw new Error('missing fixture');
    const narrow = leadSummarySchema.extend({ customer_language: z.enum(['de', 'it']) });
    const err = await refused(narrow, 'lead_summary', transcript(f.thread.id, f.items));
    expect(err.message).toContain('/customer_language must be equal to one of the allowed values');
  });
});

describe('schemaViolations (ajv) and strictSchemaError', () => {
  it('when a value breaks a schema, then schemaViolations reports where and why', () => {
    const schema = {
      type: 'object',
      properties: { n: { type: 'integer', minimum: 1 }, tags: { type: 'array', maxItems: 1 } },
      required: ['n', 'tags'],
      additionalProperties: false,
    };
    expect(schemaViolations(schema, { n: 0.5, tags: [1, 2], extra: true })).toEqual([
      '(root) must NOT have additional properties',
      '/n must be integer',
      '/n must be >= 1',
      '/tags must NOT have more than 1 items',
    ]);
    expect(schemaViolations(schema, { n: 1 })).toEqual(["(root) must have required property 'tags'"]);
    expect(schemaViolations(schema, { n: 1, tags: [] })).toEqual([]);
  });

  it('when a strict schema breaks the rules deep inside, then strictSchemaError gives the context tuple', () => {
    expect(
      strictSchemaError({
        type: 'object',
        additionalProperties: false,
        required: ['items'],
        properties: { items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } },
      }),
    ).toBe("In context=('properties', 'items', 'items'), 'additionalProperties' is required to be supplied and to be false.");
    expect(strictSchemaError({ type: 'array' })).toContain('\'type: "array"\'');
  });
});

describe('fault injection on POST /v1/responses', () => {
  it('when a 429 is injected, then responses.parse throws RateLimitError and the next call succeeds', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, retryAfter: 1 });
    const f = fixtures[0];
    if (!f) throw new Error('no fixtures');
    await expect(summarize(f.thread.id, f.items)).rejects.toBeInstanceOf(RateLimitError);
    expect((await summarize(f.thread.id, f.items)).output_parsed).not.toBeNull();
  });

  it('when a 500 is injected and the SDK may retry, then the retry succeeds', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 500, retryAfterMs: 10 });
    const sdk = new OpenAI({ apiKey: 'sk-test', baseURL: harness.stub.baseURL, maxRetries: 1 });
    const response = await sdk.responses.create({ model: MODEL, input: 'hi' });
    expect(response.status).toBe('completed');
    expect(harness.stub.requests.filter((r) => r.route === RESPONSES).map((r) => r.status)).toEqual([500, 200]);
  });

  it('when a 500 is injected and the SDK may not retry, then it throws InternalServerError', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 500 });
    await expect(client().responses.create({ model: MODEL, input: 'hi' })).rejects.toBeInstanceOf(InternalServerError);
  });

  it('when a malformed body is injected, then responses.parse throws instead of returning output_parsed', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'malformed', body: '{"id":"resp_1","object":"response","output":[' });
    const f = fixtures[0];
    if (!f) throw new Error('no fixtures');
    await expect(summarize(f.thread.id, f.items)).rejects.toThrow();
  });
});
