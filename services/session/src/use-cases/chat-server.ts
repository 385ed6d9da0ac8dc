import type { Logger } from 'pino';
import { AppError, ThreadStoreNotFound, withRetries, type RetryPolicy, type StoredThread } from '@lead-intake/shared';
import {
  isHiddenItem,
  isStreamingRequest,
  type ChatKitRequest,
  type NonStreamingRequest,
  type StreamingRequest,
  type ThreadItem,
  type ThreadStreamEvent,
  type UserMessageInput,
  type UserMessageItem,
} from '@lead-intake/shared/chatkit';
import type { LimitExceeded } from '../domain/usage-limits.js';
import type { Visitor } from '../domain/visitor.js';
import type { ThreadStore } from '../ports.js';
import { applyUpdate, cancelledNote, isEmptyAssistantMessage } from './pending-items.js';
import { threadView, visibleItems } from './thread-views.js';
import type { TurnGuard } from './turn-guard.js';

/** One request: who asks, the request's own abort (the visitor went away), its log. */
export interface RequestContext {
  visitor: Visitor;
  signal: AbortSignal;
  log: Logger;
}

/** A turn under way, as `respond` and the turn-ended hook see it. */
export interface Turn {
  visitor: Visitor;
  log: Logger;
  /** Aborted when the visitor leaves, the instance shuts down, or the turn's own write fails: stop working. */
  signal: AbortSignal;
  /** The thread is created by this turn: its only item is the input. */
  newThread: boolean;
  /** What `respond` adds to the turn's log line (`chatkit turn ended`). */
  logFields: Record<string, unknown>;
}

/**
 * The application's answer to a turn (chatkit-python's `respond`): ChatKit events, persisted by
 * the server as they pass. Called before the turn's user message is stored, so its work may start
 * at once; its events are read only once the message is stored (if that fails, `turn.signal`
 * aborts). It may change the thread's title, status or metadata: the server saves them and sends
 * `thread.updated`. Throw `CustomStreamError` to end the turn with a message for the visitor.
 */
export type Respond = (thread: StoredThread, input: UserMessageItem, turn: Turn) => AsyncIterable<ThreadStreamEvent>;

type TurnOutcome = 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface EndedTurn {
  thread: StoredThread;
  /** The last item the turn streamed (or its input when it streamed none): one id per turn. */
  lastItemId: string;
  outcome: TurnOutcome;
  turn: Turn;
}

/** An error for the visitor: the stream ends with an `error` event (`code: custom`) carrying its message. */
export class CustomStreamError extends Error {
  constructor(
    message: string,
    readonly allowRetry: boolean,
  ) {
    super(message);
    this.name = 'CustomStreamError';
  }
}

export interface ChatServerDeps {
  store: ThreadStore;
  respond: Respond;
  guard: TurnGuard;
  /** After every turn that streamed a response, whatever its outcome (the lead signal). */
  onTurnEnded: (ended: EndedTurn) => void;
  /** The visitor's message when the instance shuts down under a stream (its partial reply is kept). */
  interruptedMessage: (visitor: Visitor) => string;
  now: () => Date;
  /** Waits between attempts to save a streamed item (a fake clock in tests). */
  sleep?: (ms: number) => Promise<void>;
}

export type ChatResult = { kind: 'json'; body: unknown } | { kind: 'stream'; events: AsyncGenerator<ThreadStreamEvent> };

const DEFAULT_PAGE_SIZE = 20;
/** A streamed item's save is tried three times, 100 then 400 ms apart (a write that landed before its answer was lost counts as saved). */
const SAVE_RETRIES: RetryPolicy = { attempts: 3, firstDelayMs: 100, factor: 4 };
const notFound = () => new AppError('not_found', 'That conversation does not exist.');

/**
 * The ChatKit protocol server (openai/chatkit-python's `ChatKitServer`): one entry point per
 * request, JSON for reads, an event stream for turns. It knows threads, items and events, not the
 * shop: the turn's answer comes from `respond`, its limits from the turn guard, and what happens
 * after a turn from the turn-ended hook. Every event `respond` streams is persisted as it passes
 * (item done → added, removed → deleted, replaced → saved, a changed thread → saved and
 * `thread.updated`); hidden items are stored, never sent; a turn the visitor cancels keeps its
 * non-empty partial items and a hidden note for the next turn. A store outage before the stream
 * starts is a TransientError (503 with Retry-After); inside the stream, a retryable `error` event.
 */
export class ChatKitServer {
  /** Aborted when the instance shuts down: open streams end cleanly (interruptStreams). */
  private readonly closing = new AbortController();

  constructor(private readonly deps: ChatServerDeps) {}

  process(request: ChatKitRequest, context: RequestContext): Promise<ChatResult> {
    if (isStreamingRequest(request)) return this.stream(request, context).then((events) => ({ kind: 'stream', events }));
    return this.read(request as NonStreamingRequest, context).then((body) => ({ kind: 'json', body }));
  }

  /**
   * Ends the streams still open (SIGTERM, before the drain runs out): each stops its model call,
   * keeps the partial reply and ends with a retryable `error` event.
   */
  interruptStreams(): void {
    this.closing.abort();
  }

  private async ownedThread(threadId: string, visitor: Visitor): Promise<StoredThread> {
    const thread = await this.deps.store.loadThread(threadId);
    // Another visitor's thread is indistinguishable from a missing one.
    if (!thread || thread.owner !== visitor.user) throw notFound();
    return thread;
  }

  private async read(request: NonStreamingRequest, { visitor, log }: RequestContext): Promise<unknown> {
    const { store } = this.deps;
    switch (request.type) {
      case 'threads.get_by_id': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const items = await store.listItems(thread.id, { limit: DEFAULT_PAGE_SIZE, order: 'asc' });
        return threadView(thread, items);
      }
      case 'threads.list': {
        const { limit, order, after } = request.params;
        const page = await pageOrInvalid(() => store.listThreads(visitor.user, { limit: limit ?? DEFAULT_PAGE_SIZE, order, after }));
        return { ...page, data: page.data.map((thread) => threadView(thread)) };
      }
      case 'items.list': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const { limit, order, after } = request.params;
        return visibleItems(await pageOrInvalid(() => store.listItems(thread.id, { limit: limit ?? DEFAULT_PAGE_SIZE, order, after })));
      }
      case 'threads.update': {
        const thread = { ...(await this.ownedThread(request.params.thread_id, visitor)), title: request.params.title };
        await store.updateThread(thread);
        return threadView(thread);
      }
      case 'threads.delete': {
        await store.deleteThread((await this.ownedThread(request.params.thread_id, visitor)).id);
        return {};
      }
      case 'items.feedback': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        log.info({ threadId: thread.id, items: request.params.item_ids.length, kind: request.params.kind }, 'chatkit feedback');
        return {};
      }
      case 'attachments.create':
      case 'attachments.delete':
      case 'input.transcribe':
      case 'threads.sync_custom_action':
        throw unsupported(request.type);
    }
  }

  /** Checks that can refuse a turn run before the stream starts, so nothing is half-written. */
  private async stream(request: StreamingRequest, context: RequestContext): Promise<AsyncGenerator<ThreadStreamEvent>> {
    const { visitor } = context;
    const { guard } = this.deps;
    switch (request.type) {
      case 'threads.create': {
        const { input } = request.params;
        const refused = await guard.admitNewThread(checkedInput(input), visitor, this.deps.now());
        if (refused) return single(this.refusal(refused, context));
        return this.createThread(input, context);
      }
      case 'threads.add_user_message': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const refused = guard.admitMessage(thread, checkedInput(request.params.input), visitor);
        if (refused) return single(this.refusal(refused, context));
        return this.addUserMessage(thread, request.params.input, context);
      }
      case 'threads.retry_after_item': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const refused = guard.admitRetry(visitor);
        if (refused) return single(this.refusal(refused, context));
        const { input, later } = await this.itemsAfterUserMessage(thread, request.params.item_id);
        return this.retryAfter(thread, input, later, context);
      }
      case 'threads.add_client_tool_output':
      case 'threads.add_structured_input':
      case 'threads.custom_action':
        await this.ownedThread(request.params.thread_id, visitor);
        return single({ type: 'error', code: 'custom', message: unsupported(request.type).message, allow_retry: false });
    }
  }

  private async *createThread(input: UserMessageInput, context: RequestContext): AsyncGenerator<ThreadStreamEvent> {
    const { store, now, guard } = this.deps;
    const { visitor } = context;
    const thread: StoredThread = {
      id: store.generateThreadId(),
      title: null,
      created_at: now().toISOString(),
      status: { type: 'active' },
      metadata: { locale: visitor.locale, ...(visitor.pageUrl ? { page_url: visitor.pageUrl } : {}) },
      owner: visitor.user,
      userMessageCount: 0,
    };
    const item = this.userItem(thread, input);
    const turn = this.startTurn(context, true);
    // The answer starts while the thread and its first message are written (one write); nothing
    // is streamed before the write succeeds.
    const events = this.deps.respond(thread, item, turn);
    if (!(await turn.written(store.createThreadWithinDailyCap(thread, item, guard.dailyThreadCap(now()))))) {
      // Simultaneous new threads took the last places of the day: nothing was written.
      yield this.refusal('daily_thread_cap', context);
      return;
    }
    context.log.info({ threadId: thread.id, locale: visitor.locale }, 'chatkit thread created');
    yield { type: 'thread.created', thread: threadView(thread) };
    thread.userMessageCount = 1;
    yield { type: 'thread.item.done', item };
    yield* this.processEvents(thread, item, events, turn);
  }

  private async *addUserMessage(thread: StoredThread, input: UserMessageInput, context: RequestContext): AsyncGenerator<ThreadStreamEvent> {
    const item = this.userItem(thread, input);
    const turn = this.startTurn(context, false);
    // The answer (its history read first) starts while the message is written.
    const events = this.deps.respond(thread, item, turn);
    if (!(await turn.written(this.deps.store.addUserMessageWithinCap(thread, item, this.deps.guard.maxMessagesPerThread)))) {
      // Simultaneous messages took the thread's last places: nothing was written.
      yield this.refusal('thread_message_cap', context);
      return;
    }
    thread.userMessageCount += 1;
    yield { type: 'thread.item.done', item };
    yield* this.processEvents(thread, item, events, turn);
  }

  private async *retryAfter(
    thread: StoredThread,
    input: UserMessageItem,
    later: readonly ThreadItem[],
    context: RequestContext,
  ): AsyncGenerator<ThreadStreamEvent> {
    for (const item of later) await this.deps.store.deleteItem(thread.id, item.id);
    const turn = this.startTurn(context, false);
    yield* this.processEvents(thread, input, this.deps.respond(thread, input, turn), turn);
  }

  /**
   * The events of one response, persisted as they pass (chatkit-python's `_process_events`).
   * What is saved is exactly what `thread.item.done` carried, before the event is sent.
   */
  private async *processEvents(
    thread: StoredThread,
    input: UserMessageItem,
    events: AsyncIterable<ThreadStreamEvent>,
    turn: TurnInProgress,
  ): AsyncGenerator<ThreadStreamEvent> {
    const { store } = this.deps;
    const { log } = turn;
    yield { type: 'stream_options', stream_options: { allow_cancel: true } };
    /** Items streamed but not done yet: what a cancelled turn keeps. */
    const pending = new Map<string, ThreadItem>();
    let lastItemId = input.id;
    let chars = 0;
    let saved = threadState(thread);
    let outcome: TurnOutcome = 'completed';
    const threadChanged = async function* (): AsyncGenerator<ThreadStreamEvent> {
      if (threadState(thread) === saved) return;
      saved = threadState(thread);
      await store.updateThread(thread);
      yield { type: 'thread.updated', thread: threadView(thread) };
    };
    try {
      for await (const event of events) {
        switch (event.type) {
          case 'thread.item.added':
            // A copy: what `respond` does to its own object later is not what was streamed.
            pending.set(event.item.id, structuredClone(event.item));
            lastItemId = event.item.id;
            break;
          case 'thread.item.updated':
            applyUpdate(pending, event);
            break;
          case 'thread.item.done':
            await this.save(thread.id, event.item, log);
            pending.delete(event.item.id);
            lastItemId = event.item.id;
            if (event.item.type === 'assistant_message') chars += event.item.content.reduce((n, part) => n + part.text.length, 0);
            break;
          case 'thread.item.removed':
            await store.deleteItem(thread.id, event.item_id);
            pending.delete(event.item_id);
            break;
          case 'thread.item.replaced':
            await store.saveItem(thread.id, event.item);
            pending.delete(event.item.id);
            break;
        }
        // Hidden items are the server's notes: stored, never sent.
        if (!(event.type === 'thread.item.done' && isHiddenItem(event.item))) yield event;
        yield* threadChanged();
      }
      yield* threadChanged();
      if (turn.cancelled()) {
        outcome = 'cancelled';
        await this.streamCancelled(thread, [...pending.values()], log);
      } else if (this.closing.signal.aborted) {
        // This instance is shutting down: what was streamed is kept, and a retry reaches another one.
        outcome = 'interrupted';
        yield { type: 'error', code: 'custom', message: this.deps.interruptedMessage(turn.visitor), allow_retry: true };
      }
    } catch (error) {
      outcome = 'failed';
      if (error instanceof CustomStreamError) {
        yield { type: 'error', code: 'custom', message: error.message, allow_retry: error.allowRetry };
      } else {
        log.error({ threadId: thread.id, err: error }, 'chatkit turn failed');
        yield { type: 'error', code: 'stream.error', allow_retry: true };
      }
      yield* threadChanged();
    } finally {
      this.deps.onTurnEnded({ thread, lastItemId, outcome, turn });
      log.info({ threadId: thread.id, outcome, chars, ...turn.logFields }, 'chatkit turn ended');
    }
  }

  /**
   * The visitor cancelled (chatkit-python's `handle_stream_cancelled`): keep what they saw of
   * each non-empty assistant message, and tell the next turn not to continue it.
   */
  private async streamCancelled(thread: StoredThread, pending: readonly ThreadItem[], log: Logger): Promise<void> {
    for (const item of pending) {
      if (item.type === 'assistant_message' && !isEmptyAssistantMessage(item)) await this.save(thread.id, item, log);
    }
    const { store, now } = this.deps;
    await this.save(thread.id, cancelledNote({ id: store.generateItemId(), thread_id: thread.id, created_at: now().toISOString() }), log);
    log.info({ threadId: thread.id }, 'chatkit stream cancelled by the client');
  }

  /**
   * Saves a streamed item; a store outage is retried (a write that landed before its answer was
   * lost counts as saved), and only then fails the turn, which says so to the visitor.
   */
  private save(threadId: string, item: ThreadItem, log: Logger): Promise<void> {
    return withRetries(() => this.deps.store.addItem(threadId, item), SAVE_RETRIES, {
      ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
      onRetry: (error, attempt) =>
        log.warn({ threadId, itemType: item.type, attempt, err: error }, 'saving a streamed item failed; retrying'),
    });
  }

  private startTurn(context: RequestContext, newThread: boolean): TurnInProgress {
    const own = new AbortController();
    return {
      visitor: context.visitor,
      log: context.log,
      signal: AbortSignal.any([context.signal, this.closing.signal, own.signal]),
      newThread,
      logFields: {},
      cancelled: () => context.signal.aborted,
      written: async (write) => {
        try {
          const stored = await write;
          if (!stored) own.abort();
          return stored;
        } catch (error) {
          own.abort();
          throw error;
        }
      },
    };
  }

  private userItem(thread: StoredThread, input: UserMessageInput): UserMessageItem {
    return {
      id: this.deps.store.generateItemId(),
      thread_id: thread.id,
      created_at: this.deps.now().toISOString(),
      type: 'user_message',
      content: input.content,
      attachments: [],
      ...(input.quoted_text ? { quoted_text: input.quoted_text } : {}),
      inference_options: input.inference_options,
    };
  }

  /** The user message and the items after it, newest first (the reference's reverse pagination). */
  private async itemsAfterUserMessage(thread: StoredThread, itemId: string): Promise<{ input: UserMessageItem; later: ThreadItem[] }> {
    const later: ThreadItem[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await this.deps.store.listItems(thread.id, { limit: DEFAULT_PAGE_SIZE, order: 'desc', after: cursor });
      for (const item of page.data) {
        if (item.id === itemId) {
          if (item.type !== 'user_message') throw new AppError('invalid_request', 'params.item_id: must name a user message');
          return { input: item, later };
        }
        later.push(item);
      }
      // The reference answers an unknown item with an empty stream; a 404 tells the widget why.
      if (!page.has_more) throw notFound();
      cursor = page.after;
    }
  }

  /** A turn over a limit: one `error` event for the visitor, one log line (how often each limit bites). */
  private refusal(limit: LimitExceeded, { visitor, log }: RequestContext): ThreadStreamEvent {
    log.info({ limit }, 'chatkit turn refused by a limit');
    return { type: 'error', code: 'custom', message: this.deps.guard.refusalMessage(limit, visitor), allow_retry: false };
  }
}

interface TurnInProgress extends Turn {
  /** The visitor went away (the request was aborted). */
  cancelled(): boolean;
  /** Waits for the turn's user message write; if it fails or is refused, the turn's work is stopped. */
  written(write: Promise<boolean>): Promise<boolean>;
}

/** What of a thread `respond` may change and the server saves (`updateThread`). */
const threadState = (thread: StoredThread): string => JSON.stringify([thread.title ?? null, thread.status, thread.metadata ?? {}]);

/** Attachments need an attachment store, which this chat does not have (the reference refuses them likewise). */
function checkedInput(input: UserMessageInput): UserMessageInput {
  if (input.attachments.length > 0) throw unsupported('attachments');
  return input;
}

function unsupported(what: string): AppError {
  return new AppError('invalid_request', `type: ${what} is not supported by this chat`);
}

async function* single(event: ThreadStreamEvent): AsyncGenerator<ThreadStreamEvent> {
  yield event;
}

async function pageOrInvalid<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ThreadStoreNotFound) throw new AppError('invalid_request', 'params.after: names no item of this list');
    throw error;
  }
}
