/**
 * Responses API: `POST /v1/responses` (no beta header), non-streaming and `stream: true`.
 *
 * Validates like the real API (model required, `input` a string or a list of input items,
 * `text.format` of type text / json_object / json_schema, strict schemas checked) and answers a
 * completed `response` with one assistant message:
 * - `text.format` json_schema: only the lead summary's (the one structured output the product
 *   asks for): values derived from the transcript in the input (see `lead-summary.ts`), the summary
 *   pinned for a thread id mentioned in the input (`cthr_…`; fixtures, `stub.summaries.set`, see
 *   `summaries.ts`) winning field by field, checked against the request's schema with ajv
 *   (`schema-check.ts`) so `openai.responses.parse` with `zodTextFormat(...)` yields
 *   `output_parsed`. Another schema, or a lead schema the derived value does not fit, is a 400
 *   that says so: the stand-in never answers a value the real API could not.
 * - otherwise: the shop's intake assistant's next turn (`shop-assistant.ts`), from the user
 *   messages of `input` and the context lines of `instructions` / system / developer messages.
 *
 * With `stream: true` the same response is streamed as server-sent events (`streaming.ts`), and
 * the stream faults of `faults.ts` apply.
 *
 * Input items: messages (`{role, content}` with or without `type: "message"`, content a string or
 * `input_text` / `output_text` / `refusal` / image / file / audio parts), and the other item types
 * an agent replays (function calls and their outputs, reasoning, item references…), which are
 * accepted and ignored for the answer.
 */
import type { Response, ResponseOutputMessage } from 'openai/resources/responses/responses';
import { z } from 'zod';
import { invalidRequest, type OpenAIHttpError } from '../errors.js';
import { newOutputMessageId, newResponseId } from '../ids.js';
import { schemaViolations } from '../schema-check.js';
import { strictSchemaError } from '../strict-schema.js';
import { isLeadSummarySchema, parseTranscript, summarizeLead, type InputMessage } from '../lead-summary.js';
import { shopAssistantReply } from '../shop-assistant.js';
import { parseBody } from '../validation.js';
import type { RouteContext, RouteDef } from './types.js';

const contentPart = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('input_text'),
    text: z.string(),
    // @openai/agents sends it for prompt-cache breakpoints.
    prompt_cache_breakpoint: z.unknown().optional(),
  }),
  z.looseObject({ type: z.literal('output_text'), text: z.string() }),
  z.looseObject({ type: z.literal('refusal'), refusal: z.string() }),
  z.looseObject({ type: z.literal('input_image') }),
  z.looseObject({ type: z.literal('input_file') }),
  z.looseObject({ type: z.literal('input_audio') }),
]);

const inputMessage = z.strictObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPart)]),
  id: z.string().optional(),
  status: z.enum(['in_progress', 'completed', 'incomplete']).optional(),
  phase: z.enum(['commentary', 'final_answer']).nullable().optional(),
});

/** Item types other than messages that an agent replays in `input`; accepted, not used for the answer. */
const otherInputItem = z.looseObject({
  type: z.enum([
    'function_call',
    'function_call_output',
    'reasoning',
    'item_reference',
    'file_search_call',
    'web_search_call',
    'computer_call',
    'computer_call_output',
    'image_generation_call',
    'code_interpreter_call',
    'local_shell_call',
    'local_shell_call_output',
    'shell_call',
    'shell_call_output',
    'apply_patch_call',
    'apply_patch_call_output',
    'mcp_list_tools',
    'mcp_approval_request',
    'mcp_approval_response',
    'mcp_call',
    'custom_tool_call',
    'custom_tool_call_output',
    'compaction',
  ]),
});

const inputItem = z.union([inputMessage, otherInputItem]);

const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 of a-z, A-Z, 0-9, _ and -'),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullable().optional(),
    description: z.string().optional(),
  }),
]);

const anything = z.unknown().optional();

const createResponseBody = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: z.string().nullable().optional(),
  text: z
    .strictObject({
      format: textFormat.optional(),
      verbosity: z.enum(['low', 'medium', 'high']).nullable().optional(),
    })
    .optional(),
  stream: z.boolean().nullable().optional(),
  temperature: z.number().min(0).max(2).nullable().optional(),
  top_p: z.number().min(0).max(1).nullable().optional(),
  max_output_tokens: z.number().int().min(16).nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  store: z.boolean().nullable().optional(),
  user: z.string().optional(),
  previous_response_id: z.string().nullable().optional(),
  tools: z.array(z.unknown()).optional(),
  tool_choice: anything,
  parallel_tool_calls: z.boolean().nullable().optional(),
  background: z.boolean().nullable().optional(),
  conversation: anything,
  include: z.array(z.string()).nullable().optional(),
  prompt: anything,
  prompt_cache_key: z.string().nullable().optional(),
  prompt_cache_options: anything,
  prompt_cache_retention: anything,
  reasoning: anything,
  safety_identifier: z.string().nullable().optional(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority']).nullable().optional(),
  stream_options: anything,
  top_logprobs: z.number().int().min(0).max(20).nullable().optional(),
  truncation: z.enum(['auto', 'disabled']).nullable().optional(),
  context_management: anything,
  moderation: anything,
});

type CreateResponseBody = z.output<typeof createResponseBody>;
type TextFormat = z.output<typeof textFormat>;

/** The API object; `output_text` is computed by the SDK, never sent. */
type ResponseObject = Omit<Response, 'output_text'>;

function contentText(content: z.output<typeof inputMessage>['content']): string {
  if (typeof content === 'string') return content;
  return content
    .map((part) => ('text' in part && typeof part.text === 'string' ? part.text : ''))
    .filter(Boolean)
    .join('\n');
}

function inputMessages(body: CreateResponseBody): InputMessage[] {
  const out: InputMessage[] = [];
  if (body.instructions) out.push({ role: 'developer', text: body.instructions });
  if (typeof body.input === 'string') out.push({ role: 'user', text: body.input });
  else
    for (const m of body.input ?? [])
      if (m.type === undefined || m.type === 'message') out.push({ role: m.role, text: contentText(m.content) });
  return out;
}

function schemaError(name: string, detail: string): OpenAIHttpError {
  return invalidRequest(`Invalid schema for response_format '${name}': ${detail}`, 'text.format.schema', 'invalid_json_schema');
}

const STAND_IN_SCHEMA = 'stand_in_unsupported_schema';

function structuredValue(
  format: Extract<TextFormat, { type: 'json_schema' }>,
  messages: readonly InputMessage[],
  ctx: RouteContext,
): Record<string, unknown> {
  const { schema } = format;
  if (!isLeadSummarySchema(schema)) {
    throw invalidRequest(
      `The OpenAI stand-in answers structured outputs for the lead summary schema only (properties handoff_ready, customer_language, …); '${format.name}' is not it.`,
      'text.format.schema',
      STAND_IN_SCHEMA,
    );
  }
  const transcript = parseTranscript(messages);
  const derived: Record<string, unknown> = {
    ...summarizeLead(transcript, { shop: ctx.state.shop }),
    ...ctx.state.summaries.firstPinned(transcript.threadIds),
  };
  // Only the schema's own properties, in its order (a strict schema allows no others).
  const properties = Object.keys((schema['properties'] ?? {}) as object);
  const value = Object.fromEntries(properties.filter((key) => key in derived).map((key) => [key, derived[key]]));
  const violations = schemaViolations(schema, value);
  if (violations.length > 0) {
    throw invalidRequest(
      `The OpenAI stand-in's lead summary does not fit '${format.name}' (update tools/dev/src/openai-stub/lead-summary.ts): ${violations.join('; ')}.`,
      'text.format.schema',
      STAND_IN_SCHEMA,
    );
  }
  return value;
}

/** The shop intake assistant's next turn for a plain-text request. */
function plainText(messages: readonly InputMessage[], ctx: RouteContext): string {
  const reply = shopAssistantReply({
    customerMessages: messages.filter((m) => m.role === 'user').map((m) => m.text),
    instructions: messages
      .filter((m) => m.role === 'developer' || m.role === 'system')
      .map((m) => m.text)
      .join('\n'),
    shop: ctx.state.shop,
  });
  return reply.text;
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export const responseRoutes: readonly RouteDef[] = [
  {
    method: 'POST',
    path: '/v1/responses',
    handle(req, ctx) {
      const body = parseBody(createResponseBody, req.body);
      if (body.stream !== true && body.stream_options != null) {
        throw invalidRequest(
          "Invalid value for 'stream_options': 'stream_options' is only allowed when 'stream' is true.",
          'stream_options',
          'invalid_value',
        );
      }
      if (body.input === undefined && !body.previous_response_id && body.prompt === undefined) {
        throw invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
      }
      const messages = inputMessages(body);
      const format = body.text?.format ?? { type: 'text' as const };

      let text: string;
      if (format.type === 'json_schema') {
        if (format.strict === true) {
          const problem = strictSchemaError(format.schema);
          if (problem !== null) throw schemaError(format.name, problem);
        }
        text = JSON.stringify(structuredValue(format, messages, ctx));
      } else if (format.type === 'json_object') {
        if (!messages.some((m) => /json/i.test(m.text))) {
          throw invalidRequest(
            "'input' must contain the word 'json' in some form, to use 'text.format' of type 'json_object'.",
            'input',
            null,
          );
        }
        text = JSON.stringify({ reply: plainText(messages, ctx) });
      } else {
        text = plainText(messages, ctx);
      }

      const createdAt = Math.floor(ctx.now() / 1000);
      const inputTokens = tokens(messages.map((m) => m.text).join('\n') + JSON.stringify(body.text ?? ''));
      const outputTokens = tokens(text);
      const message: ResponseOutputMessage = {
        id: newOutputMessageId(),
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
      };
      const response: ResponseObject = {
        id: newResponseId(),
        object: 'response',
        created_at: createdAt,
        status: 'completed',
        access_programs: null,
        background: body.background ?? false,
        completed_at: createdAt,
        error: null,
        incomplete_details: null,
        instructions: body.instructions ?? null,
        max_output_tokens: body.max_output_tokens ?? null,
        metadata: body.metadata ?? {},
        model: body.model,
        output: [message],
        parallel_tool_calls: body.parallel_tool_calls ?? true,
        previous_response_id: body.previous_response_id ?? null,
        prompt_cache_key: body.prompt_cache_key ?? null,
        reasoning: { effort: null, summary: null },
        safety_identifier: body.safety_identifier ?? null,
        service_tier: body.service_tier === 'auto' || !body.service_tier ? 'default' : body.service_tier,
        temperature: body.temperature ?? 1,
        text: { format, verbosity: body.text?.verbosity ?? 'medium' },
        tool_choice: 'auto',
        tools: (body.tools ?? []) as Response['tools'],
        top_logprobs: body.top_logprobs ?? 0,
        top_p: body.top_p ?? 1,
        truncation: body.truncation ?? 'disabled',
        usage: {
          input_tokens: inputTokens,
          input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
          output_tokens: outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: inputTokens + outputTokens,
        },
        ...(body.user !== undefined ? { user: body.user } : {}),
      };
      if (body.stream === true) {
        const options = body.stream_options as { include_obfuscation?: unknown } | null | undefined;
        return { stream: { response, obfuscate: options?.include_obfuscation !== false } };
      }
      return { json: response };
    },
  },
];
