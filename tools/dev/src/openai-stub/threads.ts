/**
 * ChatKit threads the stub serves: the store behind `GET /v1/chatkit/threads/{id}` and
 * `GET /v1/chatkit/threads/{id}/items`, the zod schemas of `chatkit.thread` and
 * `chatkit.thread_item` (shared with the fixture loader and `PUT /__stub/threads/{id}`), and helpers
 * that build threads concisely in tests:
 *
 *   stub.threads.put(makeThread('cthr_test_1', [
 *     userMessage('My driver seat is torn', { attachments: [{ name: 'seat.jpg' }] }),
 *     assistantMessage('Sorry to hear that! What car is it?'),
 *     userMessage('2015 Honda Civic, call me at 408-555-0187'),
 *   ]));
 */
import type {
  ChatKitAttachment,
  ChatKitThread,
  ChatKitThreadAssistantMessageItem,
  ChatKitThreadItemList,
  ChatKitThreadUserMessageItem,
  ChatKitWidgetItem,
} from 'openai/resources/beta/chatkit/threads';
import { z } from 'zod';
import { newAttachmentId } from './ids.js';
import { leadSummaryOverridesSchema, type LeadSummaryOverrides } from './lead-summary.js';

/** Any item `listItems` can return. */
export type ThreadItem = ChatKitThreadItemList['data'][number];
export type ThreadItemType = ThreadItem['type'];

type DraftKeys = 'id' | 'object' | 'thread_id' | 'created_at';
type DraftOf<T> = T extends unknown
  ? Omit<T, DraftKeys> & { id?: string; object?: 'chatkit.thread_item'; thread_id?: string; created_at?: number }
  : never;
/** A thread item whose id, thread id and timestamp are filled in when it is stored. */
export type ThreadItemDraft = DraftOf<ThreadItem>;

/** A thread and its items (oldest first), plus summary fields that override the stub's heuristics. */
export interface StoredThread {
  thread: ChatKitThread;
  items: ThreadItem[];
  /** Lead-summary fields `POST /v1/responses` returns verbatim when the input names this thread. */
  summary?: LeadSummaryOverrides;
}

/** What `stub.threads.put` and `PUT /__stub/threads/{id}` accept. */
export interface ThreadInput {
  /** At least the id; the rest defaults (`status` active, `title` null, `user` anon_stub_user). */
  thread: Partial<ChatKitThread> & { id: string };
  items?: readonly ThreadItemDraft[];
  summary?: LeadSummaryOverrides;
}

export const THREAD_ID_PATTERN = /^cthr_[A-Za-z0-9_-]{1,128}$/;
const DEFAULT_USER = 'anon_stub_user';
const DEFAULT_STEP_SECONDS = 30;

// ---------------------------------------------------------------------------------------------
// Schemas

const epochSeconds = z.number().int().nonnegative();

export const threadStatusSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('active') }),
  z.strictObject({ type: z.literal('locked'), reason: z.string().nullable() }),
  z.strictObject({ type: z.literal('closed'), reason: z.string().nullable() }),
]);

export const threadSchema = z.strictObject({
  id: z.string().regex(THREAD_ID_PATTERN, 'expected cthr_ followed by 1-128 of [A-Za-z0-9_-]'),
  object: z.literal('chatkit.thread'),
  created_at: epochSeconds,
  status: threadStatusSchema,
  title: z.string().nullable(),
  user: z.string().min(1),
});

export const attachmentSchema = z.strictObject({
  id: z.string().min(1),
  name: z.string().min(1),
  mime_type: z.string().min(1),
  preview_url: z.url().nullable(),
  type: z.enum(['image', 'file']),
});

const annotationSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('file'),
    source: z.strictObject({ type: z.literal('file'), filename: z.string() }),
  }),
  z.strictObject({
    type: z.literal('url'),
    source: z.strictObject({ type: z.literal('url'), url: z.string() }),
  }),
]);

const inferenceOptionsSchema = z.strictObject({
  model: z.string().nullable(),
  tool_choice: z.strictObject({ id: z.string() }).nullable(),
});

/** Type-specific fields; `lenient` adds the defaults a draft may leave out. */
function itemShapes(lenient: boolean) {
  const orDefault = <S extends z.ZodType>(schema: S, value: z.output<S>) =>
    lenient ? schema.default(value as never) : schema;
  return [
    {
      type: z.literal('chatkit.user_message'),
      content: z
        .array(
          z.discriminatedUnion('type', [
            z.strictObject({ type: z.literal('input_text'), text: z.string() }),
            z.strictObject({ type: z.literal('quoted_text'), text: z.string() }),
          ]),
        )
        .min(1),
      attachments: orDefault(z.array(attachmentSchema), []),
      inference_options: orDefault(inferenceOptionsSchema.nullable(), null),
    },
    {
      type: z.literal('chatkit.assistant_message'),
      content: z
        .array(
          z.strictObject({
            type: z.literal('output_text'),
            text: z.string(),
            annotations: orDefault(z.array(annotationSchema), []),
          }),
        )
        .min(1),
    },
    {
      type: z.literal('chatkit.widget'),
      widget: z.string(),
    },
    {
      type: z.literal('chatkit.client_tool_call'),
      arguments: z.string(),
      call_id: z.string().min(1),
      name: z.string().min(1),
      output: z.string().nullable(),
      status: z.enum(['in_progress', 'completed']),
    },
    {
      type: z.literal('chatkit.task'),
      heading: z.string().nullable(),
      summary: z.string().nullable(),
      task_type: z.enum(['custom', 'thought']),
    },
    {
      type: z.literal('chatkit.task_group'),
      tasks: z.array(
        z.strictObject({
          heading: z.string().nullable(),
          summary: z.string().nullable(),
          type: z.enum(['custom', 'thought']),
        }),
      ),
    },
  ] as const;
}

const fullBase = {
  id: z.string().min(1),
  object: z.literal('chatkit.thread_item'),
  thread_id: z.string().regex(THREAD_ID_PATTERN),
  created_at: epochSeconds,
};
const [u, a, w, c, t, g] = itemShapes(false);

/** A complete `chatkit.thread_item`, as `listItems` returns it. */
export const threadItemSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...fullBase, ...u }),
  z.strictObject({ ...fullBase, ...a }),
  z.strictObject({ ...fullBase, ...w }),
  z.strictObject({ ...fullBase, ...c }),
  z.strictObject({ ...fullBase, ...t }),
  z.strictObject({ ...fullBase, ...g }),
]);

const draftBase = {
  id: fullBase.id.optional(),
  object: fullBase.object.optional(),
  thread_id: fullBase.thread_id.optional(),
  created_at: epochSeconds.optional(),
};
const [du, da, dw, dc, dt, dg] = itemShapes(true);

/** A thread item that may leave out id, object, thread_id, created_at, attachments, annotations. */
export const threadItemDraftSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...draftBase, ...du }),
  z.strictObject({ ...draftBase, ...da }),
  z.strictObject({ ...draftBase, ...dw }),
  z.strictObject({ ...draftBase, ...dc }),
  z.strictObject({ ...draftBase, ...dt }),
  z.strictObject({ ...draftBase, ...dg }),
]);

export const threadInputSchema = z.strictObject({
  thread: threadSchema.partial().extend({ id: threadSchema.shape.id }),
  items: z.array(threadItemDraftSchema).default([]),
  summary: leadSummaryOverridesSchema.optional(),
});

// Compile-time proof that the schemas produce the SDK's types.
const _threadMatchesSdk = (value: z.output<typeof threadSchema>): ChatKitThread => value;
const _itemMatchesSdk = (value: z.output<typeof threadItemSchema>): ThreadItem => value;
const _draftMatchesSdk = (value: z.output<typeof threadItemDraftSchema>): ThreadItemDraft => value;
void [_threadMatchesSdk, _itemMatchesSdk, _draftMatchesSdk];

// ---------------------------------------------------------------------------------------------
// Builders

export interface AttachmentInput {
  name: string;
  /** Default: `image` for image MIME types, else `file`. */
  type?: 'image' | 'file';
  /** Default: guessed from the file name's extension. */
  mime_type?: string;
  /** Default: an example.com preview URL for images, null for files. */
  preview_url?: string | null;
  id?: string;
}

export interface ItemOptions {
  id?: string;
  /** Epoch seconds; default: assigned when stored (monotonic). */
  created_at?: number;
}

export interface UserMessageOptions extends ItemOptions {
  /** Files or photos (by name: `'seat.jpg'` or `{ name, ... }`). */
  attachments?: ReadonlyArray<string | AttachmentInput>;
  /** A quoted snippet placed before the text. */
  quoted?: string;
}

const MIME_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  txt: 'text/plain',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
};

/** A `ChatKitAttachment` with sensible defaults. */
export function attachment(input: string | AttachmentInput): ChatKitAttachment {
  const spec = typeof input === 'string' ? { name: input } : input;
  const extension = /\.([A-Za-z0-9]+)$/.exec(spec.name)?.[1]?.toLowerCase() ?? '';
  const mime = spec.mime_type ?? MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
  const type = spec.type ?? (mime.startsWith('image/') ? 'image' : 'file');
  const id = spec.id ?? newAttachmentId();
  const preview =
    spec.preview_url !== undefined
      ? spec.preview_url
      : type === 'image'
        ? `https://files.example.com/chatkit/previews/${id}/${encodeURIComponent(spec.name)}`
        : null;
  return { id, name: spec.name, mime_type: mime, preview_url: preview, type };
}

export function userMessage(text: string, opts: UserMessageOptions = {}): DraftOf<ChatKitThreadUserMessageItem> {
  return {
    ...itemOptions(opts),
    type: 'chatkit.user_message',
    content: [
      ...(opts.quoted !== undefined ? [{ type: 'quoted_text' as const, text: opts.quoted }] : []),
      { type: 'input_text', text },
    ],
    attachments: (opts.attachments ?? []).map(attachment),
    inference_options: null,
  };
}

export function assistantMessage(text: string, opts: ItemOptions = {}): DraftOf<ChatKitThreadAssistantMessageItem> {
  return {
    ...itemOptions(opts),
    type: 'chatkit.assistant_message',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
}

/** A widget item; an object payload is serialized to JSON. */
export function widgetItem(widget: unknown, opts: ItemOptions = {}): DraftOf<ChatKitWidgetItem> {
  return {
    ...itemOptions(opts),
    type: 'chatkit.widget',
    widget: typeof widget === 'string' ? widget : JSON.stringify(widget),
  };
}

export function taskItem(
  heading: string | null,
  summary: string | null = null,
  opts: ItemOptions & { task_type?: 'custom' | 'thought' } = {},
): DraftOf<ChatKitThreadItemList.ChatKitTask> {
  return { ...itemOptions(opts), type: 'chatkit.task', heading, summary, task_type: opts.task_type ?? 'thought' };
}

function itemOptions(opts: ItemOptions): { id?: string; created_at?: number } {
  return {
    ...(opts.id !== undefined ? { id: opts.id } : {}),
    ...(opts.created_at !== undefined ? { created_at: opts.created_at } : {}),
  };
}

export interface MakeThreadOptions {
  user?: string;
  title?: string | null;
  status?: ChatKitThread['status'];
  /** Thread creation time, epoch seconds. Default: so that the last item is about now. */
  createdAt?: number;
  /** Seconds between consecutive items (default 30). */
  stepSeconds?: number;
  summary?: LeadSummaryOverrides;
}

/**
 * A complete thread: item ids `cthi_<thread suffix>_001`, ..., and `created_at` strictly increasing
 * by `stepSeconds` (items that carry their own `created_at` keep it).
 */
export function makeThread(
  id: string,
  items: readonly ThreadItemDraft[],
  opts: MakeThreadOptions = {},
): StoredThread & { summary?: LeadSummaryOverrides } {
  const step = opts.stepSeconds ?? DEFAULT_STEP_SECONDS;
  const createdAt = opts.createdAt ?? Math.floor(Date.now() / 1000) - step * items.length;
  const thread: ChatKitThread = {
    id,
    object: 'chatkit.thread',
    created_at: createdAt,
    status: opts.status ?? { type: 'active' },
    title: opts.title ?? null,
    user: opts.user ?? DEFAULT_USER,
  };
  let previous = createdAt;
  const complete = items.map((draft, index): ThreadItem => {
    const created = draft.created_at ?? Math.max(previous + step, createdAt + step * (index + 1));
    previous = created;
    return finishItem(draft, id, itemIdFor(id, index), created);
  });
  return { thread, items: complete, ...(opts.summary ? { summary: opts.summary } : {}) };
}

function itemIdFor(threadId: string, index: number): string {
  return `cthi_${threadId.replace(/^cthr_/, '')}_${String(index + 1).padStart(3, '0')}`;
}

/** Fills in the common fields, in the order the API lists them (id, object, type, thread_id, created_at). */
function finishItem(draft: ThreadItemDraft, threadId: string, id: string, createdAt: number): ThreadItem {
  const { id: ownId, created_at: ownCreatedAt, object: _object, thread_id: _threadId, type, ...rest } = draft;
  return {
    id: ownId ?? id,
    object: 'chatkit.thread_item',
    type,
    thread_id: threadId,
    created_at: ownCreatedAt ?? createdAt,
    ...rest,
  } as ThreadItem;
}

// ---------------------------------------------------------------------------------------------
// Store

export class ThreadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThreadInputError';
  }
}

/** The programmatic API behind `stub.threads`. Everything returned is a copy. */
export interface ThreadsApi {
  /** Adds or replaces a thread. Items may be drafts; missing ids and timestamps are filled in. */
  put(input: ThreadInput): StoredThread;
  /** Appends items (timestamps not before the last item's, nor before now). Throws for an unknown thread. */
  appendItems(threadId: string, items: readonly ThreadItemDraft[]): ThreadItem[];
  get(threadId: string): StoredThread | undefined;
  has(threadId: string): boolean;
  /** Every thread, oldest first. */
  list(): StoredThread[];
  delete(threadId: string): boolean;
  /** Drops every thread, fixtures included. */
  clear(): void;
}

export class ThreadStore implements ThreadsApi {
  readonly #threads = new Map<string, StoredThread>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  put(input: ThreadInput): StoredThread {
    const parsed = threadInputSchema.safeParse(input);
    if (!parsed.success) throw new ThreadInputError(`Invalid thread: ${z.prettifyError(parsed.error)}`);
    const { thread: partial, items: drafts, summary } = parsed.data;
    const id = partial.id;
    const undated = drafts.filter((d) => d.created_at === undefined).length;
    const nowSeconds = Math.floor(this.#now() / 1000);
    const thread: ChatKitThread = {
      id,
      object: 'chatkit.thread',
      created_at: partial.created_at ?? Math.min(nowSeconds - undated, ...datedTimes(drafts)),
      status: partial.status ?? { type: 'active' },
      title: partial.title ?? null,
      user: partial.user ?? DEFAULT_USER,
    };
    const items: ThreadItem[] = [];
    let previous = thread.created_at;
    for (const draft of drafts) {
      const created = draft.created_at ?? previous + 1;
      previous = Math.max(previous, created);
      items.push(this.#finish(draft, id, items, created));
    }
    const stored: StoredThread = { thread, items: sortByTime(items), ...(summary ? { summary } : {}) };
    this.#threads.set(id, stored);
    return structuredClone(stored);
  }

  appendItems(threadId: string, drafts: readonly ThreadItemDraft[]): ThreadItem[] {
    const stored = this.#threads.get(threadId);
    if (!stored) throw new ThreadInputError(`No thread found with id '${threadId}'.`);
    const parsed = z.array(threadItemDraftSchema).safeParse(drafts);
    if (!parsed.success) throw new ThreadInputError(`Invalid items: ${z.prettifyError(parsed.error)}`);
    const nowSeconds = Math.floor(this.#now() / 1000);
    let previous = stored.items.at(-1)?.created_at ?? stored.thread.created_at;
    const added: ThreadItem[] = [];
    const all = [...stored.items];
    for (const draft of parsed.data) {
      const created = draft.created_at ?? Math.max(previous, nowSeconds);
      previous = Math.max(previous, created);
      const item = this.#finish(draft, threadId, all, created);
      all.push(item);
      added.push(item);
    }
    stored.items = sortByTime(all);
    return structuredClone(added);
  }

  get(threadId: string): StoredThread | undefined {
    const stored = this.#threads.get(threadId);
    return stored ? structuredClone(stored) : undefined;
  }

  has(threadId: string): boolean {
    return this.#threads.has(threadId);
  }

  list(): StoredThread[] {
    return [...this.#threads.values()]
      .sort((x, y) => x.thread.created_at - y.thread.created_at)
      .map((s) => structuredClone(s));
  }

  delete(threadId: string): boolean {
    return this.#threads.delete(threadId);
  }

  clear(): void {
    this.#threads.clear();
  }

  /** The live items of a thread, oldest first (no copy: for route handlers). */
  itemsOf(threadId: string): readonly ThreadItem[] | undefined {
    return this.#threads.get(threadId)?.items;
  }

  /** The live thread object (no copy: for route handlers). */
  threadOf(threadId: string): ChatKitThread | undefined {
    return this.#threads.get(threadId)?.thread;
  }

  /** Summary overrides of a thread, if any. */
  summaryOf(threadId: string): LeadSummaryOverrides | undefined {
    return this.#threads.get(threadId)?.summary;
  }

  #finish(draft: ThreadItemDraft, threadId: string, existing: readonly ThreadItem[], createdAt: number): ThreadItem {
    if (draft.thread_id !== undefined && draft.thread_id !== threadId) {
      throw new ThreadInputError(`Item thread_id '${draft.thread_id}' does not match thread '${threadId}'.`);
    }
    const taken = new Set(existing.map((i) => i.id));
    let id = draft.id;
    if (id !== undefined && taken.has(id)) throw new ThreadInputError(`Duplicate item id '${id}' in thread '${threadId}'.`);
    for (let n = existing.length; id === undefined || taken.has(id); n += 1) id = itemIdFor(threadId, n);
    return finishItem({ ...draft, id }, threadId, id, createdAt);
  }
}

function datedTimes(drafts: readonly { created_at?: number | undefined }[]): number[] {
  return drafts.flatMap((d) => (d.created_at !== undefined ? [d.created_at - 1] : []));
}

/** Stable sort by `created_at`: items with equal times keep their insertion order. */
function sortByTime(items: ThreadItem[]): ThreadItem[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((x, y) => x.item.created_at - y.item.created_at || x.index - y.index)
    .map(({ item }) => item);
}
