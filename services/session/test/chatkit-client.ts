import { z } from 'zod';
import { pageSchema, threadItemSchema, threadSchema, type Page, type Thread, type ThreadItem } from '@lead-intake/shared/chatkit';

/**
 * A ChatKit protocol client written from the reference types (openai/chatkit-python
 * chatkit/types.py): it validates every event and JSON answer it receives against those shapes.
 */
const contentPart = z.object({ type: z.literal('output_text'), text: z.string(), annotations: z.array(z.unknown()) });
const update = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assistant_message.content_part.added'), content_index: z.number().int(), content: contentPart }),
  z.object({ type: z.literal('assistant_message.content_part.text_delta'), content_index: z.number().int(), delta: z.string() }),
  z.object({ type: z.literal('assistant_message.content_part.done'), content_index: z.number().int(), content: contentPart }),
]);
const streamEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('thread.created'), thread: threadSchema }),
  z.strictObject({ type: z.literal('thread.updated'), thread: threadSchema }),
  z.strictObject({ type: z.literal('thread.item.added'), item: threadItemSchema }),
  z.strictObject({ type: z.literal('thread.item.updated'), item_id: z.string(), update }),
  z.strictObject({ type: z.literal('thread.item.done'), item: threadItemSchema }),
  z.strictObject({ type: z.literal('thread.item.removed'), item_id: z.string() }),
  z.strictObject({ type: z.literal('thread.item.replaced'), item: threadItemSchema }),
  z.strictObject({ type: z.literal('stream_options'), stream_options: z.object({ allow_cancel: z.boolean() }) }),
  z.strictObject({ type: z.literal('progress_update'), icon: z.string().optional(), text: z.string() }),
  z.strictObject({
    type: z.literal('error'),
    code: z.enum(['stream.error', 'custom']),
    message: z.string().optional(),
    allow_retry: z.boolean(),
  }),
  z.strictObject({
    type: z.literal('notice'),
    level: z.enum(['info', 'warning', 'danger']),
    message: z.string(),
    title: z.string().optional(),
  }),
]);
export type StreamEvent = z.infer<typeof streamEventSchema>;

export const userInput = (text: string) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

export interface StreamResult {
  status: number;
  contentType: string | null;
  events: StreamEvent[];
}

export class ChatKitTestClient {
  constructor(
    readonly url: string,
    readonly token: string,
    readonly user: string,
    readonly origin: string,
  ) {}

  request(
    type: string,
    params: unknown,
    init: { token?: string | null; signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const token = init.token === undefined ? this.token : init.token;
    return fetch(`${this.url}/api/chatkit`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: this.origin,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...init.headers,
      },
      body: JSON.stringify({ type, params, metadata: {} }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  }

  async stream(type: string, params: unknown, headers?: Record<string, string>): Promise<StreamResult> {
    const response = await this.request(type, params, headers ? { headers } : {});
    const contentType = response.headers.get('content-type');
    if (!contentType?.startsWith('text/event-stream')) {
      throw new Error(`expected an event stream, got ${response.status} ${contentType}: ${await response.text()}`);
    }
    return { status: response.status, contentType, events: parseEvents(await response.text()) };
  }

  async json<T>(type: string, params: unknown, schema: z.ZodType<T>): Promise<T> {
    const response = await this.request(type, params);
    if (response.status !== 200) throw new Error(`${type}: ${response.status} ${await response.text()}`);
    return schema.parse(await response.json());
  }

  getThread(threadId: string): Promise<Thread> {
    return this.json('threads.get_by_id', { thread_id: threadId }, threadSchema);
  }

  listItems(threadId: string, params: { limit?: number; order?: 'asc' | 'desc'; after?: string | null } = {}): Promise<Page<ThreadItem>> {
    return this.json('items.list', { thread_id: threadId, ...params }, pageSchema(threadItemSchema));
  }

  listThreads(params: { limit?: number; order?: 'asc' | 'desc'; after?: string | null } = {}): Promise<Page<Thread>> {
    return this.json('threads.list', params, pageSchema(threadSchema));
  }

  async allItems(threadId: string): Promise<ThreadItem[]> {
    const items: ThreadItem[] = [];
    let after: string | null = null;
    do {
      const page: Page<ThreadItem> = await this.listItems(threadId, { order: 'asc', limit: 5, after });
      items.push(...page.data);
      after = page.has_more ? page.after : null;
    } while (after);
    return items;
  }
}

/** Strict SSE parsing: every frame is one `data: <json>` line followed by a blank line. */
export function parseEvents(body: string): StreamEvent[] {
  if (body !== '' && !body.endsWith('\n\n')) throw new Error('stream does not end with a complete frame');
  return body
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      if (!frame.startsWith('data: ') || frame.includes('\n')) throw new Error(`bad frame ${JSON.stringify(frame)}`);
      return streamEventSchema.parse(JSON.parse(frame.slice(6)));
    });
}

/** The items a client ends up holding after a stream: every `thread.item.done`, minus removals. */
export function itemsFromStream(events: readonly StreamEvent[]): ThreadItem[] {
  const items = new Map<string, ThreadItem>();
  for (const event of events) {
    if (event.type === 'thread.item.done') items.set(event.item.id, event.item);
    if (event.type === 'thread.item.removed') items.delete(event.item_id);
  }
  return [...items.values()];
}

export const streamedText = (events: readonly StreamEvent[]): string =>
  events
    .map((event) =>
      event.type === 'thread.item.updated' && event.update.type === 'assistant_message.content_part.text_delta' ? event.update.delta : '',
    )
    .join('');
