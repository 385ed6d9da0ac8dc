/**
 * Server-sent events for `POST /v1/responses` with `stream: true`, shaped like the real API's:
 * every frame is `event: <type>\ndata: <json>\n\n`, `sequence_number` counts from 0, and a
 * one-message text answer streams as
 *
 *   response.created → response.in_progress → response.output_item.added →
 *   response.content_part.added → response.output_text.delta × n → response.output_text.done →
 *   response.content_part.done → response.output_item.done → response.completed
 *
 * (no `[DONE]` sentinel: the Responses API ends the stream after its terminal event). Events are
 * typed with the `openai` SDK's own event types, so the compiler checks names and fields; the few
 * places where the wire differs from the SDK's published types are spelled out below
 * (`WireResponse`, `WireTextDeltaEvent`, `WireErrorEvent`).
 *
 * `planStream` is pure: it turns a completed response (+ an optional stream fault) into steps
 * (events, sleeps, a dropped socket); `writeStream` plays the steps on an HTTP response.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type {
  Response,
  ResponseCompletedEvent,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseCreatedEvent,
  ResponseError,
  ResponseErrorEvent,
  ResponseFailedEvent,
  ResponseInProgressEvent,
  ResponseOutputItemAddedEvent,
  ResponseOutputItemDoneEvent,
  ResponseOutputMessage,
  ResponseOutputText,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import type { ActiveFault } from './faults.js';

/**
 * The response object as sent: `output_text` is computed by the SDK (never on the wire) and
 * `usage` is `null` until the response completes.
 */
export type WireResponse = Omit<Response, 'output_text' | 'usage'> & { usage?: ResponseUsage | null };

type WithWireResponse<E extends { response: Response }> = Omit<E, 'response'> & { response: WireResponse };

/** The API also sends `obfuscation` (random padding) on deltas unless `stream_options.include_obfuscation` is false. */
export type WireTextDeltaEvent = ResponseTextDeltaEvent & { obfuscation?: string };

/**
 * The `error` event as the API really sends it: the error nested under `error`
 * (`{"type":"error","sequence_number":5,"error":{"type","code","message","param"}}`), not flat as
 * the SDK's published `ResponseErrorEvent` has it. Both SDK stream readers accept this shape.
 */
export interface WireErrorEvent extends Pick<ResponseErrorEvent, 'type' | 'sequence_number'> {
  error: { type: string; code: string | null; message: string; param: string | null };
}

export type WireStreamEvent =
  | WithWireResponse<ResponseCreatedEvent>
  | WithWireResponse<ResponseInProgressEvent>
  | ResponseOutputItemAddedEvent
  | ResponseContentPartAddedEvent
  | WireTextDeltaEvent
  | ResponseTextDoneEvent
  | ResponseContentPartDoneEvent
  | ResponseOutputItemDoneEvent
  | WithWireResponse<ResponseCompletedEvent>
  | WithWireResponse<ResponseFailedEvent>
  | WireErrorEvent;

export type StreamStep =
  | { kind: 'event'; event: WireStreamEvent }
  | { kind: 'sleep'; ms: number }
  /** Destroy the socket: the client sees the connection die mid-stream. */
  | { kind: 'drop' };

export interface StreamSource {
  /** The completed response, with exactly one assistant message holding one `output_text` part. */
  response: WireResponse;
  /** Whether deltas carry `obfuscation` (the API's default; off with `stream_options.include_obfuscation: false`). */
  obfuscate: boolean;
}

/** Stream faults as the planner needs them (the rest of `ActiveFault` does not matter here). */
export type StreamFault = Extract<ActiveFault, { kind: 'stream_error' | 'slow_first_token' | 'slow_stream' }>;

export const DEFAULT_STREAM_ERROR_MESSAGE =
  'The server had an error processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if you keep seeing this error.';

/**
 * Splits text into small deltas the way a model streams tokens: up to 3 words (with their
 * trailing whitespace) per delta, where each Han character or full-width punctuation mark counts
 * as a word, no word piece longer than 12 code points (JSON has no spaces) and no delta longer
 * than 16. Code points are never split; concatenating the deltas gives the text back exactly.
 */
/** A run of whitespace, one CJK character (+ whitespace), or a run of other characters (+ whitespace). */
const WORD = /\s+|[\p{Script=Han}\u3000-\u303f\uff00-\uffef]\s*|[^\s\p{Script=Han}\u3000-\u303f\uff00-\uffef]+\s*/gu;

export function chunkText(text: string, opts: { words?: number; maxPiece?: number; maxChunk?: number } = {}): string[] {
  const words = opts.words ?? 3;
  const maxPiece = opts.maxPiece ?? 12;
  const maxChunk = opts.maxChunk ?? 16;
  const pieces: string[] = [];
  for (const token of text.match(WORD) ?? []) {
    const cps = Array.from(token);
    for (let i = 0; i < cps.length; i += maxPiece) pieces.push(cps.slice(i, i + maxPiece).join(''));
  }
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    const size = Array.from(piece).length;
    if (current.length > 0 && (current.length >= words || length + size > maxChunk)) {
      chunks.push(current.join(''));
      current = [];
      length = 0;
    }
    current.push(piece);
    length += size;
  }
  if (current.length > 0) chunks.push(current.join(''));
  return chunks;
}

function obfuscation(): string {
  return randomBytes(1 + ((randomBytes(1)[0] ?? 0) % 12))
    .toString('base64url')
    .slice(0, 16);
}

function theMessage(response: WireResponse): { message: ResponseOutputMessage; text: string } {
  const [message] = response.output;
  const part = message?.type === 'message' ? message.content[0] : undefined;
  if (message?.type !== 'message' || part?.type !== 'output_text') {
    throw new Error('planStream needs a response with one assistant message holding one output_text part');
  }
  return { message, text: part.text };
}

/** The steps that stream `source`, with the fault's timing and failure applied. */
export function planStream(source: StreamSource, fault?: StreamFault): StreamStep[] {
  const completed = source.response;
  const { message, text } = theMessage(completed);
  const chunks = chunkText(text);
  const steps: StreamStep[] = [];
  let sequence = 0;
  const emit = (event: WireStreamEvent): void => {
    steps.push({ kind: 'event', event });
  };
  const next = (): number => sequence++;

  const pending: WireResponse = { ...completed, status: 'in_progress', completed_at: null, output: [], usage: null };
  const itemId = message.id;
  const emptyPart: ResponseOutputText = { type: 'output_text', text: '', annotations: [], logprobs: [] };

  emit({ type: 'response.created', sequence_number: next(), response: pending });
  emit({ type: 'response.in_progress', sequence_number: next(), response: pending });

  if (fault?.kind === 'slow_first_token' && fault.ms > 0) steps.push({ kind: 'sleep', ms: fault.ms });

  emit({
    type: 'response.output_item.added',
    sequence_number: next(),
    output_index: 0,
    item: { ...message, status: 'in_progress', content: [] },
  });
  emit({
    type: 'response.content_part.added',
    sequence_number: next(),
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    part: emptyPart,
  });

  const deltaDelay = fault?.deltaDelayMs ?? 0;
  const cutAfter = fault?.kind === 'stream_error' ? Math.min(fault.after, chunks.length) : Infinity;
  let sent = '';
  for (const [index, delta] of chunks.entries()) {
    if (index >= cutAfter) break;
    if (index > 0 && deltaDelay > 0) steps.push({ kind: 'sleep', ms: deltaDelay });
    const event: WireTextDeltaEvent = {
      type: 'response.output_text.delta',
      sequence_number: next(),
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
    };
    if (source.obfuscate) event.obfuscation = obfuscation();
    emit(event);
    sent += delta;
  }

  if (fault?.kind === 'stream_error') {
    if (deltaDelay > 0 && cutAfter > 0) steps.push({ kind: 'sleep', ms: deltaDelay });
    switch (fault.mode) {
      case 'drop':
        steps.push({ kind: 'drop' });
        break;
      case 'response_failed': {
        const error: ResponseError = {
          // A caller-chosen code is passed through verbatim, like the API's own.
          code: (fault.code ?? 'server_error') as ResponseError['code'],
          message: fault.message ?? DEFAULT_STREAM_ERROR_MESSAGE,
        };
        const partial: ResponseOutputMessage = {
          ...message,
          status: 'incomplete',
          content: [{ ...emptyPart, text: sent }],
        };
        emit({
          type: 'response.failed',
          sequence_number: next(),
          response: { ...pending, status: 'failed', error, output: sent === '' ? [] : [partial] },
        });
        break;
      }
      case 'error_event':
        emit({
          type: 'error',
          sequence_number: next(),
          error: {
            type: fault.errorType ?? 'server_error',
            code: fault.code === undefined ? 'server_error' : fault.code,
            message: fault.message ?? DEFAULT_STREAM_ERROR_MESSAGE,
            param: null,
          },
        });
        break;
    }
    return steps;
  }

  const finalPart: ResponseOutputText = { ...emptyPart, text };
  emit({
    type: 'response.output_text.done',
    sequence_number: next(),
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    text,
    logprobs: [],
  });
  emit({
    type: 'response.content_part.done',
    sequence_number: next(),
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    part: finalPart,
  });
  emit({
    type: 'response.output_item.done',
    sequence_number: next(),
    output_index: 0,
    item: { ...message, status: 'completed', content: [finalPart] },
  });
  emit({ type: 'response.completed', sequence_number: next(), response: completed });
  return steps;
}

/** One SSE frame, exactly as the API writes it. */
function sseFrame(event: WireStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve) => {
    res.write(chunk, () => resolve());
  });
}

/**
 * Plays the steps on `res` (status 200, `text/event-stream`). Stops quietly when the client goes
 * away or the server closes; `sleep` is the server's, so `close()` cuts waits short.
 */
export async function writeStream(res: ServerResponse, steps: readonly StreamStep[], sleep: (ms: number) => Promise<void>): Promise<void> {
  res.statusCode = 200;
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache');
  res.socket?.setNoDelay(true);
  res.flushHeaders();
  const gone = (): boolean => res.destroyed || res.writableEnded;
  for (const step of steps) {
    if (gone()) return;
    if (step.kind === 'sleep') {
      await sleep(step.ms);
    } else if (step.kind === 'drop') {
      res.socket?.destroy();
      res.destroy();
      return;
    } else {
      await write(res, sseFrame(step.event));
    }
  }
  if (!gone()) res.end();
}
