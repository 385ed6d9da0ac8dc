/**
 * Contract tests of `POST /v1/responses` with `stream: true`: the SSE wire itself, the real `openai`
 * SDK (`responses.create({ stream: true })`, `responses.stream()` helpers) and the real
 * `@openai/agents` runner (`run(agent, input, { stream: true })`) against the stand-in, plus every
 * stream fault.
 */
import {
  Agent,
  ModelBehaviorError,
  OpenAIResponsesModel,
  run,
  setDefaultOpenAIClient,
  setTracingDisabled,
  type AgentInputItem,
  type ModelSettings,
} from '@openai/agents';
import { APIError, RateLimitError, type OpenAI } from 'openai';
import { zodTextFormat } from 'openai/helpers/zod';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leadSummarySchema } from '@lead-intake/shared/api';
import { DEFAULT_STREAM_ERROR_MESSAGE, chunkText } from '../src/openai-stub/streaming.js';
import { startOpenAIStub } from '../src/openai-stub/server.js';
import { useOpenAIStub } from './support/openai-stub-under-test.js';
import { parseSse, sseEvents, type SseEvent } from './support/sse.js';

const RESPONSES = 'POST /v1/responses';
const MODEL = 'gpt-4.1-mini';
const AGENT_INSTRUCTIONS = [
  'You are the intake assistant of an auto upholstery shop. Ask for the job, the vehicle, then a contact.',
  'shop_name: Rosewood Upholstery',
  'shop_is_open_now: false',
  'shop_next_open_day: Monday',
  'shop_next_open_time: 8:00 AM',
  'shop_hours_today: closed',
].join('\n');

/** The real API's order for a one-message text answer. */
const TEXT_STREAM_SHAPE = [
  'response.created',
  'response.in_progress',
  'response.output_item.added',
  'response.content_part.added',
  'response.output_text.delta+',
  'response.output_text.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.completed',
];

/** Event types with consecutive deltas collapsed to `response.output_text.delta+`. */
function shape(types: readonly string[]): string[] {
  const out: string[] = [];
  for (const type of types) {
    const label = type === 'response.output_text.delta' ? `${type}+` : type;
    if (out[out.length - 1] !== label) out.push(label);
  }
  return out;
}

const harness = useOpenAIStub();
const client = harness.client.bind(harness);

beforeAll(() => {
  // The Agents SDK would otherwise try to export traces to api.openai.com.
  setTracingDisabled(true);
});

function agent(options: { settings?: ModelSettings; sdk?: OpenAI; instructions?: string } = {}) {
  return new Agent({
    name: 'Intake assistant',
    instructions: options.instructions ?? AGENT_INSTRUCTIONS,
    model: new OpenAIResponsesModel(options.sdk ?? client(), MODEL),
    modelSettings: options.settings ?? {},
  });
}

async function rawStream(body: Record<string, unknown>): Promise<{ res: globalThis.Response; text: string }> {
  const res = await fetch(`${harness.stub.baseURL}/responses`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL, stream: true, ...body }),
  });
  return { res, text: await res.text() };
}

function deltasOf(events: readonly SseEvent[]): string[] {
  return events.filter((e) => e.type === 'response.output_text.delta').map((e) => String(e['delta']));
}

/** Iterates an SDK stream, returning the events received before it ended or threw. */
async function drain(stream: AsyncIterable<ResponseStreamEvent>): Promise<{ events: ResponseStreamEvent[]; error: unknown }> {
  const events: ResponseStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** Runs an agent with `stream: true`, collecting its text deltas, until it completes or fails. */
async function runStreamed(a: Agent, input: string | AgentInputItem[]) {
  const deltas: string[] = [];
  const rawTypes: string[] = [];
  let error: unknown;
  let result: Awaited<ReturnType<typeof run<Agent, undefined>>> | undefined;
  try {
    result = await run(a, input, { stream: true });
    for await (const event of result) {
      if (event.type !== 'raw_model_stream_event') continue;
      if (event.data.type === 'output_text_delta') deltas.push(event.data.delta);
      if (event.data.type === 'model') rawTypes.push(String((event.data.event as { type?: unknown }).type));
    }
    await result.completed;
    if (result.error) throw result.error;
  } catch (err) {
    error = err;
  }
  return { result, deltas, rawTypes, error };
}

describe('POST /v1/responses with stream: true, on the wire', () => {
  it('when a plain-text request streams, then every frame is "event: <type>\\ndata: <json>" in the real API order with sequence numbers 0..n', async () => {
    const { res, text } = await rawStream({ input: 'My driver seat is torn' });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const frames = parseSse(text);
    for (const frame of frames) {
      expect(frame.raw).toMatch(/^event: [a-z_.]+\ndata: \{.*\}$/s);
      expect((JSON.parse(frame.data) as SseEvent).type).toBe(frame.event);
    }
    const events = sseEvents(text);
    expect(shape(events.map((e) => e.type))).toEqual(TEXT_STREAM_SHAPE);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(text).not.toContain('[DONE]');
  });

  it('when the deltas are joined, then they are the done text and the completed response text, a few words each, with ids, indexes and logprobs', async () => {
    const { text } = await rawStream({ input: 'My driver seat is torn' });
    const events = sseEvents(text);
    const added = events.find((e) => e.type === 'response.output_item.added');
    const item = added?.['item'] as { id: string; type: string; status: string; role: string; content: unknown[] };
    expect(item).toMatchObject({ type: 'message', status: 'in_progress', role: 'assistant', content: [] });
    expect(item.id).toMatch(/^msg_/);
    expect(events.find((e) => e.type === 'response.content_part.added')?.['part']).toEqual({
      type: 'output_text',
      text: '',
      annotations: [],
      logprobs: [],
    });

    const deltaEvents = events.filter((e) => e.type === 'response.output_text.delta');
    for (const d of deltaEvents) {
      expect(d).toMatchObject({ item_id: item.id, output_index: 0, content_index: 0, logprobs: [] });
      expect(String(d['delta']).trim().split(/\s+/).length).toBeLessThanOrEqual(3);
    }
    const joined = deltasOf(events).join('');
    expect(deltaEvents.length).toBeGreaterThan(3);
    expect(joined).toBe('Got it. What vehicle is it? Please tell me the make, model and year.');

    const done = events.find((e) => e.type === 'response.output_text.done');
    expect(done).toMatchObject({ item_id: item.id, output_index: 0, content_index: 0, text: joined, logprobs: [] });
    expect(events.find((e) => e.type === 'response.content_part.done')?.['part']).toMatchObject({ text: joined });
    expect(events.find((e) => e.type === 'response.output_item.done')?.['item']).toMatchObject({
      id: item.id,
      status: 'completed',
      content: [{ type: 'output_text', text: joined, annotations: [], logprobs: [] }],
    });
  });

  it('when the stream starts and ends, then created/in_progress carry the pending response and completed the finished one with usage', async () => {
    const { text } = await rawStream({ input: 'hello', instructions: 'Be brief.', temperature: 0.2, max_output_tokens: 200, store: false });
    const events = sseEvents(text);
    const created = events[0]?.['response'] as Record<string, unknown>;
    const inProgress = events[1]?.['response'] as Record<string, unknown>;
    const completed = events.at(-1)?.['response'] as Record<string, unknown> & {
      usage: { input_tokens: number; output_tokens: number; total_tokens: number };
    };

    expect(created).toMatchObject({ object: 'response', status: 'in_progress', output: [], usage: null, completed_at: null });
    expect(created).not.toHaveProperty('output_text');
    expect(inProgress).toEqual(created);
    expect(completed).toMatchObject({
      id: created['id'],
      status: 'completed',
      model: MODEL,
      instructions: 'Be brief.',
      temperature: 0.2,
      max_output_tokens: 200,
      error: null,
    });
    expect(completed['completed_at']).toEqual(expect.any(Number));
    expect(completed.usage.total_tokens).toBe(completed.usage.input_tokens + completed.usage.output_tokens);
    expect(completed.usage.output_tokens).toBeGreaterThan(0);
  });

  it('when stream_options.include_obfuscation is false, then deltas carry no obfuscation; by default they do, like the real API', async () => {
    const plain = sseEvents((await rawStream({ input: 'hi', stream_options: { include_obfuscation: false } })).text);
    const padded = sseEvents((await rawStream({ input: 'hi' })).text);
    const plainDeltas = plain.filter((e) => e.type === 'response.output_text.delta');
    const paddedDeltas = padded.filter((e) => e.type === 'response.output_text.delta');
    expect(plainDeltas.length).toBeGreaterThan(0);
    expect(plainDeltas.every((e) => !('obfuscation' in e))).toBe(true);
    expect(paddedDeltas.every((e) => typeof e['obfuscation'] === 'string')).toBe(true);
  });

  it('when the input carries the item types an agent replays (function calls, reasoning, item references), then they are accepted', async () => {
    const { res, text } = await rawStream({
      input: [
        { role: 'user', content: 'My seat is torn' },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'lookup', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' },
        { type: 'item_reference', id: 'msg_1' },
        { role: 'user', content: [{ type: 'input_text', text: '2015 Toyota Camry' }] },
      ],
    });
    expect(res.status).toBe(200);
    expect(deltasOf(sseEvents(text)).join('')).toMatch(/^Thanks! What is your name/);
  });
});

describe('chunkText: how an answer is split into deltas', () => {
  it.each<[string, string, string[]]>([
    ['words', 'Got it. What vehicle is it? Please tell me', ['Got it. What ', 'vehicle is it? ', 'Please tell me']],
    ['JSON without spaces', '{"handoff_ready":true,"missing_info":[]}', ['{"handoff_re', 'ady":true,"m', 'issing_info":[]}']],
    ['Chinese (a character is a word)', '请问需要我们帮您做什么？', ['请问需', '要我们', '帮您做', '什么？']],
    ['emoji (code points stay whole)', '👍'.repeat(20), ['👍'.repeat(12), '👍'.repeat(8)]],
    ['long words', 'reupholstered leather seats', ['reupholstered ', 'leather seats']],
    ['leading whitespace and newlines', '  Hi\n\nthere', ['  Hi\n\nthere']],
    ['nothing', '', []],
  ])('when the text is %s, then the chunks are small and join back to it exactly', (_label, text, chunks) => {
    expect(chunkText(text)).toEqual(chunks);
    expect(chunkText(text).join('')).toBe(text);
  });
});

describe('the openai SDK streaming from the stand-in', () => {
  it('when responses.create({ stream: true }) is iterated, then it yields the real event sequence and the deltas build the answer', async () => {
    const stream = await client().responses.create({ model: MODEL, input: 'My driver seat is torn', stream: true });
    const { events, error } = await drain(stream);

    expect(error).toBeUndefined();
    expect(shape(events.map((e) => e.type))).toEqual(TEXT_STREAM_SHAPE);
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('no response.completed');
    // Raw events are the wire's: no SDK-computed output_text on the response (responses.stream() adds it).
    expect(completed.response.output_text).toBeUndefined();
    expect(completed.response.output).toMatchObject([{ type: 'message', content: [{ type: 'output_text', text }] }]);
    expect(text).toMatch(/^Got it\. What vehicle is it\?/);
  });

  it('when responses.stream() is used, then delta listeners see every delta and finalResponse() is the completed response', async () => {
    const deltas: string[] = [];
    const stream = client()
      .responses.stream({ model: MODEL, input: [{ role: 'user', content: 'Hola, el asiento de mi carro está roto' }] })
      .on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();

    expect(final.status).toBe('completed');
    expect(final.output_text).toBe('Entendido. ¿Qué vehículo es? Dígame la marca, el modelo y el año.');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(final.output_text);
  });

  it('when a structured output (json_schema) request streams, then the JSON comes as many deltas and output_parsed conforms', async () => {
    // The one structured output the product asks for (the stand-in answers no other).
    const schema = leadSummarySchema;
    const deltas: string[] = [];
    const stream = client()
      .responses.stream({
        model: MODEL,
        input: 'Customer: Torn seat, call me at 408-555-0187',
        text: { format: zodTextFormat(schema, 'lead_summary') },
      })
      .on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();

    const json = deltas.join('');
    expect(deltas.length).toBeGreaterThanOrEqual(Math.ceil(Array.from(json).length / 16));
    expect(deltas.every((d) => Array.from(d).length <= 16)).toBe(true);
    expect(JSON.parse(json) as unknown).toEqual(final.output_parsed);
    expect(schema.safeParse(final.output_parsed).success).toBe(true);
    expect(final.text?.format).toMatchObject({ type: 'json_schema', name: 'lead_summary', strict: true });
  });
});

describe('@openai/agents running on the stand-in', () => {
  it('when an agent runs with stream: true, then toTextStream() yields the reply in several chunks and finalOutput is that text', async () => {
    const result = await run(agent(), 'Hi! My convertible top is ripped.', { stream: true });
    const chunks: string[] = [];
    for await (const chunk of result.toTextStream()) chunks.push(chunk);
    await result.completed;

    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe('Got it. What vehicle is it? Please tell me the make, model and year.');
    expect(result.finalOutput).toBe(chunks.join(''));
  });

  it('when the raw model events are read, then response.output_text.delta events arrive in order and build finalOutput', async () => {
    const result = await run(agent(), 'Mi asiento de cuero está roto', { stream: true });
    const raw: ResponseStreamEvent[] = [];
    for await (const event of result) {
      if (event.type === 'raw_model_stream_event' && event.data.type === 'model') raw.push(event.data.event as ResponseStreamEvent);
    }
    await result.completed;

    expect(shape(raw.map((e) => e.type))).toEqual(TEXT_STREAM_SHAPE);
    const text = raw.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(text).toBe(result.finalOutput);
    expect(text).toMatch(/^Entendido\./);
  });

  it('when the conversation goes on with result.history, then the assistant asks for the job, the vehicle, a contact, then thanks', async () => {
    const turns = [
      'Hi there',
      'The leather on my driver seat is cracked',
      'It is a 2016 Honda Accord',
      "I'm Maria, call me at 650-555-0123",
    ];
    const replies: string[] = [];
    let history: AgentInputItem[] = [];
    for (const turn of turns) {
      const { result, error } = await runStreamed(agent(), [...history, { role: 'user', content: turn }]);
      expect(error).toBeUndefined();
      replies.push(String(result?.finalOutput));
      history = result?.history ?? [];
    }

    expect(replies[0]).toMatch(/^What can we help you with\?/);
    expect(replies[1]).toMatch(/^Got it\. What vehicle is it\?/);
    expect(replies[2]).toMatch(/^Thanks! What is your name/);
    expect(replies[3]).toBe('Thank you, Maria! Rosewood Upholstery will call you back soon at +16505550123.');
    const last = harness.stub.requests.at(-1)?.body as { input: Array<{ role?: string; type?: string }> };
    expect(last.input.filter((i) => i.role === 'assistant')).toHaveLength(3);
  });

  it('when the customer asks about hours and price, then the reply uses the context lines of the instructions and quotes no price', async () => {
    const { result, error } = await runStreamed(agent(), 'Are you open today? And how much to fix a torn seat?');
    expect(error).toBeUndefined();
    expect(result?.finalOutput).toBe(
      "I can't quote prices here: the shop will give you a quote after seeing the job. We're closed right now. We open again Monday at 8:00 AM. Today's hours: closed. Got it. What vehicle is it? Please tell me the make, model and year.",
    );
    expect(String(result?.finalOutput)).not.toMatch(/\$\s?\d/);
  });

  it('when the agent has model settings, then the stand-in accepts every field @openai/agents sends', async () => {
    const settings: ModelSettings = {
      temperature: 0.3,
      topP: 0.9,
      maxTokens: 400,
      store: false,
      truncation: 'auto',
      toolChoice: 'auto',
      reasoning: { effort: 'low' },
      text: { verbosity: 'low' },
    };
    const { result, error } = await runStreamed(agent({ settings }), 'Bonjour, le cuir de mon siège est déchiré');

    expect(error).toBeUndefined();
    expect(result?.finalOutput).toMatch(/^Bien noté\./);
    const sent = harness.stub.requests.at(-1);
    expect(sent?.status).toBe(200);
    expect(sent?.body).toMatchObject({
      model: MODEL,
      instructions: AGENT_INSTRUCTIONS,
      input: [{ role: 'user', content: 'Bonjour, le cuir de mon siège est déchiré' }],
      stream: true,
      temperature: 0.3,
      top_p: 0.9,
      max_output_tokens: 400,
      store: false,
      truncation: 'auto',
      tool_choice: 'auto',
      reasoning: { effort: 'low' },
      text: { verbosity: 'low' },
      include: [],
      tools: [],
    });
  });

  it('when the agent has an outputType, then the structured output streams and finalOutput is the parsed object', async () => {
    const schema = leadSummarySchema;
    const typed = new Agent({
      name: 'Classifier',
      instructions: 'Classify the request.',
      outputType: schema,
      model: new OpenAIResponsesModel(client(), MODEL),
    });
    const result = await run(typed, 'My seat is torn', { stream: true });
    let text = '';
    for await (const chunk of result.toTextStream()) text += chunk;
    await result.completed;

    expect(schema.parse(result.finalOutput)).toEqual(JSON.parse(text));
    const sent = harness.stub.requests.at(-1)?.body as { text: { format: { type: string; strict: boolean } } };
    expect(sent.text.format).toMatchObject({ type: 'json_schema', strict: true });
  });

  it('when the default OpenAI client is set with setDefaultOpenAIClient, then an agent naming only its model streams from the stand-in', async () => {
    setDefaultOpenAIClient(client());
    const plain = new Agent({ name: 'Intake', instructions: AGENT_INSTRUCTIONS, model: MODEL });
    const { result, error } = await runStreamed(plain, 'Olá, o banco do meu carro rasgou');

    expect(error).toBeUndefined();
    expect(result?.finalOutput).toBe('Entendi. Qual é o veículo? Por favor, diga a marca, o modelo e o ano.');
    expect(harness.stub.requests.at(-1)?.route).toBe(RESPONSES);
  });
});

describe('fault injection on streaming POST /v1/responses', () => {
  afterEach(() => harness.stub.clearFaults());

  it('when a 429 with Retry-After is injected, then the SDK raises RateLimitError before any event and the next call streams', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, retryAfter: 2 });
    const err = await client()
      .responses.create({ model: MODEL, input: 'hi', stream: true })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).headers?.get('retry-after')).toBe('2');
    expect((err as RateLimitError).code).toBe('rate_limit_exceeded');
    const { events, error } = await drain(await client().responses.create({ model: MODEL, input: 'hi', stream: true }));
    expect(error).toBeUndefined();
    expect(events.at(-1)?.type).toBe('response.completed');
  });

  it('when a 429 is injected and the SDK may retry, then the retried request streams', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, retryAfterMs: 10 });
    const final = await client({ maxRetries: 1 }).responses.stream({ model: MODEL, input: 'hi' }).finalResponse();

    expect(final.status).toBe('completed');
    expect(harness.stub.requests.filter((r) => r.route === RESPONSES).map((r) => r.status)).toEqual([429, 200]);
  });

  it('when a 429 is injected, then an @openai/agents streamed run raises RateLimitError', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'status', status: 429, retryAfter: 1 });
    const { deltas, error } = await runStreamed(agent(), 'hi');

    expect(error).toBeInstanceOf(RateLimitError);
    expect(deltas).toEqual([]);
  });

  it('when a stream_error (error_event) is injected after 3 deltas, then the SDK raises APIError after exactly 3 deltas', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 3, message: 'Upstream fell over.', code: 'server_error' });
    const { events, error } = await drain(await client().responses.create({ model: MODEL, input: 'My seat is torn', stream: true }));

    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toBe('Upstream fell over.');
    expect((error as APIError).code).toBe('server_error');
    expect(events.filter((e) => e.type === 'response.output_text.delta')).toHaveLength(3);
    expect(events.some((e) => e.type === 'response.completed')).toBe(false);
  });

  it('when a stream_error (error_event) is injected, then the wire carries the error nested under "error" as the real API sends it', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 2 });
    const events = sseEvents((await rawStream({ input: 'My seat is torn' })).text);
    const last = events.at(-1);

    expect(deltasOf(events)).toHaveLength(2);
    expect(last).toEqual({
      type: 'error',
      sequence_number: events.length - 1,
      error: { type: 'server_error', code: 'server_error', message: DEFAULT_STREAM_ERROR_MESSAGE, param: null },
    });
  });

  it('when a stream_error is injected, then responses.stream().finalResponse() rejects with APIError', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 1 });
    const deltas: string[] = [];
    const stream = client()
      .responses.stream({ model: MODEL, input: 'My seat is torn' })
      .on('response.output_text.delta', (e) => deltas.push(e.delta));

    await expect(stream.finalResponse()).rejects.toBeInstanceOf(APIError);
    expect(deltas).toHaveLength(1);
  });

  it('when a stream_error is injected after 2 deltas, then an @openai/agents streamed run raises after receiving those deltas', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 2, message: 'Mid-stream failure.' });
    const { deltas, error } = await runStreamed(agent(), 'My seat is torn');

    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toBe('Mid-stream failure.');
    expect(deltas).toEqual(['Got it. What ', 'vehicle is it? ']);
  });

  it('when a stream_error in response_failed mode is injected, then the SDK yields response.failed and @openai/agents raises ModelBehaviorError', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 2, mode: 'response_failed', times: 2 });
    const { events, error } = await drain(await client().responses.create({ model: MODEL, input: 'My seat is torn', stream: true }));
    const failed = events.at(-1);

    expect(error).toBeUndefined();
    expect(failed?.type).toBe('response.failed');
    if (failed?.type !== 'response.failed') throw new Error('no response.failed');
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error).toEqual({ code: 'server_error', message: DEFAULT_STREAM_ERROR_MESSAGE });
    expect(failed.response.output).toMatchObject([
      { type: 'message', status: 'incomplete', content: [{ text: 'Got it. What vehicle is it? ' }] },
    ]);

    const agentRun = await runStreamed(agent(), 'My seat is torn');
    expect(agentRun.error).toBeInstanceOf(ModelBehaviorError);
    expect((agentRun.error as Error).message).toContain('response.failed');
    expect(agentRun.deltas).toHaveLength(2);
  });

  it('when a stream_error in drop mode is injected, then the socket dies mid-stream: the SDK raises a non-API error after the deltas', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 4, mode: 'drop' });
    const { events, error } = await drain(await client().responses.create({ model: MODEL, input: 'My seat is torn', stream: true }));

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(APIError);
    expect(events.filter((e) => e.type === 'response.output_text.delta')).toHaveLength(4);
    const recorded = harness.stub.requests.find((r) => r.route === RESPONSES);
    expect(recorded).toMatchObject({ fault: 'stream_error', status: null });
  });

  it('when a stream_error in drop mode is injected, then an @openai/agents streamed run raises', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 1, mode: 'drop' });
    const { deltas, error } = await runStreamed(agent(), 'My seat is torn');

    expect(error).toBeInstanceOf(Error);
    expect(deltas).toEqual(['Got it. What ']);
  });

  it('when slow_first_token is injected, then response.created arrives at once and the first delta after the delay', async () => {
    const ms = 500;
    harness.stub.injectFault({ route: RESPONSES, kind: 'slow_first_token', ms });
    const started = performance.now();
    const seen = new Map<string, number>();
    for await (const event of await client().responses.create({ model: MODEL, input: 'hi', stream: true })) {
      if (!seen.has(event.type)) seen.set(event.type, performance.now() - started);
    }

    expect(seen.get('response.created')).toBeLessThan(ms / 2);
    expect(seen.get('response.in_progress')).toBeLessThan(ms / 2);
    expect(seen.get('response.output_text.delta')).toBeGreaterThanOrEqual(ms - 10);
    expect(seen.has('response.completed')).toBe(true);
  });

  it('when slow_first_token is injected, then the first @openai/agents text chunk arrives after the delay', async () => {
    const ms = 400;
    harness.stub.injectFault({ route: RESPONSES, kind: 'slow_first_token', ms });
    const started = performance.now();
    const result = await run(agent(), 'hi', { stream: true });
    let first: number | undefined;
    let text = '';
    for await (const chunk of result.toTextStream()) {
      first ??= performance.now() - started;
      text += chunk;
    }
    await result.completed;

    expect(first).toBeGreaterThanOrEqual(ms - 10);
    expect(text).toBe(result.finalOutput);
  });

  it('when slow_stream is injected, then deltas are spaced by deltaDelayMs', async () => {
    const deltaDelayMs = 40;
    harness.stub.injectFault({ route: RESPONSES, kind: 'slow_stream', deltaDelayMs });
    const times: number[] = [];
    for await (const event of await client().responses.create({ model: MODEL, input: 'My seat is torn', stream: true })) {
      if (event.type === 'response.output_text.delta') times.push(performance.now());
    }

    expect(times.length).toBeGreaterThan(3);
    const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(span).toBeGreaterThanOrEqual((times.length - 1) * deltaDelayMs - 10);
  });

  it('when a stream fault is queued, then non-streaming requests leave it in place and the next streaming request consumes it', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'stream_error', after: 0 });
    const plain = await client().responses.create({ model: MODEL, input: 'hi' });
    expect(plain.status).toBe('completed');
    expect(harness.stub.faults).toHaveLength(1);

    const { events, error } = await drain(await client().responses.create({ model: MODEL, input: 'hi', stream: true }));
    expect(error).toBeInstanceOf(APIError);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(harness.stub.faults).toHaveLength(0);
  });

  it('when a stream_error is injected over HTTP (POST /__stub/faults), then it is registered with its defaults and the next stream fails', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: RESPONSES, kind: 'stream_error', after: 2 }),
    });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(data).toEqual([
      {
        route: RESPONSES,
        kind: 'stream_error',
        after: 2,
        mode: 'error_event',
        times: 1,
        remaining: 1,
        id: expect.stringMatching(/^fault_/),
      },
    ]);

    const { events, error } = await drain(await client().responses.create({ model: MODEL, input: 'My seat is torn', stream: true }));
    expect(error).toBeInstanceOf(APIError);
    expect(events.filter((e) => e.type === 'response.output_text.delta')).toHaveLength(2);
    const after = (await (await fetch(`${harness.stub.url}/__stub/faults`)).json()) as { data: unknown[] };
    expect(after.data).toEqual([]);
  });

  it('when the client aborts a slow stream, then the stand-in stops streaming and records no status', async () => {
    harness.stub.injectFault({ route: RESPONSES, kind: 'slow_stream', deltaDelayMs: 50 });
    const controller = new AbortController();
    const stream = await client().responses.create({ model: MODEL, input: 'My seat is torn', stream: true }, { signal: controller.signal });
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.type);
      if (event.type === 'response.output_text.delta') break; // the SDK aborts the request on break
    }
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(seen.at(-1)).toBe('response.output_text.delta');
    expect(harness.stub.requests.find((r) => r.route === RESPONSES)).toMatchObject({ fault: 'slow_stream', status: null });
  });

  it('when the stand-in is closed during a slow first token, then close() resolves at once and the client sees the stream die', async () => {
    const own = await startOpenAIStub({ fixtures: false });
    own.injectFault({ route: RESPONSES, kind: 'slow_first_token', ms: 10_000 });
    const stream = await client({ baseURL: own.baseURL }).responses.create({ model: MODEL, input: 'hi', stream: true });
    const drained = drain(stream);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await own.close();
    const { events, error } = await drained;

    expect(performance.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(Error);
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress']);
  });

  it('when a stream fault spec is invalid, then POST /__stub/faults answers 400 invalid_fault naming the field', async () => {
    const res = await fetch(`${harness.stub.url}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: RESPONSES, kind: 'stream_error', mode: 'explode' }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('invalid_fault');
    expect(body.error.message).toContain('mode');
    expect(() => harness.stub.injectFault({ route: RESPONSES, kind: 'slow_first_token' } as never)).toThrow(/ms/);
  });
});
