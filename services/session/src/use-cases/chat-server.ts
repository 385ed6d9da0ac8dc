import type { Logger } from 'pino';
import {
  AppError,
  clientKey,
  ThreadStoreNotFound,
  ThreadStoreUnavailable,
  unavailableError,
  type ShopProfile,
  type StoredThread,
  type ThreadStore,
} from '@lead-intake/shared';
import {
  isStreamingRequest,
  type AssistantMessageItem,
  type ChatKitRequest,
  type NonStreamingRequest,
  type StreamingRequest,
  type ThreadItem,
  type ThreadStreamEvent,
  type UserMessageInput,
  type UserMessageItem,
} from '@lead-intake/shared/chatkit';
import { turnContext } from '../domain/turn-context.js';
import { visitorMessage } from '../domain/visitor-messages.js';
import { fitHistory } from '../domain/history-budget.js';
import { MinuteCounter, inputLength, type LimitExceeded, type UsageLimitSettings } from '../domain/usage-limits.js';
import { AgentFailure, type AgentPort, type ConversationMessage, type LeadTriggerPort } from '../ports.js';
import { EarlyReply } from './early-reply.js';
import { threadView, visibleItems } from './thread-views.js';

/** Who is asking: from the verified visitor token (and the request's own page headers). */
export interface Visitor {
  user: string;
  /** What the logs carry instead of `user`: a keyed hash of it. */
  logId: string;
  locale: string;
  pageUrl: string | null;
  /** The client IP as the first trusted proxy saw it. */
  ip: string;
}

export interface ChatServerDeps {
  store: ThreadStore;
  agent: AgentPort;
  leadTrigger: LeadTriggerPort;
  shop: ShopProfile;
  limits: UsageLimitSettings;
  /** How many recent items the agent reads back at each turn. */
  historyItems: number;
  /** Characters of conversation text the agent is sent per turn at most (oldest dropped first). */
  historyChars: number;
  now: () => Date;
}

/** A reply under way, and what of the conversation the agent was sent (for the turn's log line). */
interface StartedTurn {
  reply: EarlyReply;
  history: { messages: number; dropped: number; chars: number };
}

export type ChatResult = { kind: 'json'; body: unknown } | { kind: 'stream'; events: AsyncGenerator<ThreadStreamEvent> };

const DEFAULT_PAGE_SIZE = 20;
/** Waits before the second and third attempt to save a reply item. */
const SAVE_RETRY_DELAYS_MS = [100, 400];
const CANCELLED_NOTE = 'The user cancelled the stream. Stop responding to the prior request.';
const notFound = () => new AppError('not_found', 'That conversation does not exist.');

/**
 * The ChatKit server (the protocol of openai/chatkit-python's `ChatKitServer.process`): one entry
 * point per request, JSON for reads, an event stream for turns. What is persisted is exactly what
 * `thread.item.done` carried; a turn cut short keeps what was streamed.
 */
export class ChatKitServer {
  private readonly perVisitor: MinuteCounter;
  private readonly perIp: MinuteCounter;
  /** Aborted when the instance shuts down: open streams end cleanly (interruptStreams). */
  private readonly closing = new AbortController();

  constructor(private readonly deps: ChatServerDeps) {
    this.perVisitor = new MinuteCounter(deps.limits.messagesPerMinutePerVisitor);
    this.perIp = new MinuteCounter(deps.limits.messagesPerMinutePerIp);
  }

  /**
   * A thread store outage before anything is streamed is a 503 with Retry-After (the widget
   * retries); once the stream has started it is a retryable protocol `error` event.
   */
  async process(request: ChatKitRequest, visitor: Visitor, signal: AbortSignal, log: Logger): Promise<ChatResult> {
    try {
      if (isStreamingRequest(request)) return { kind: 'stream', events: await this.stream(request, visitor, signal, log) };
      return { kind: 'json', body: await this.read(request as NonStreamingRequest, visitor, log) };
    } catch (error) {
      if (error instanceof ThreadStoreUnavailable) {
        throw unavailableError('The chat is temporarily unavailable. Please try again shortly.', error);
      }
      throw error;
    }
  }

  private async ownedThread(threadId: string, visitor: Visitor): Promise<StoredThread> {
    const thread = await this.deps.store.loadThread(threadId);
    // Another visitor's thread is indistinguishable from a missing one.
    if (!thread || thread.owner !== visitor.user) throw notFound();
    return thread;
  }

  private async read(request: NonStreamingRequest, visitor: Visitor, log: Logger): Promise<unknown> {
    const { store } = this.deps;
    switch (request.type) {
      case 'threads.get_by_id': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const items = await store.listItems(thread.id, { limit: DEFAULT_PAGE_SIZE, order: 'asc' });
        return threadView(thread, items);
      }
      case 'threads.list': {
        const { limit, order, after } = request.params;
        const page = await pageOrNotFound(() => store.listThreads(visitor.user, { limit: limit ?? DEFAULT_PAGE_SIZE, order, after }));
        return { ...page, data: page.data.map((thread) => threadView(thread)) };
      }
      case 'items.list': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const { limit, order, after } = request.params;
        return visibleItems(await pageOrNotFound(() => store.listItems(thread.id, { limit: limit ?? DEFAULT_PAGE_SIZE, order, after })));
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
  private async stream(
    request: StreamingRequest,
    visitor: Visitor,
    signal: AbortSignal,
    log: Logger,
  ): Promise<AsyncGenerator<ThreadStreamEvent>> {
    switch (request.type) {
      case 'threads.create': {
        const refused = this.checkMessage(request.params.input, visitor) ?? (await this.checkDailyThreads(visitor));
        if (refused) return refusal(refused, visitor, log);
        return this.createThreadAndRespond(request.params.input, visitor, signal, log);
      }
      case 'threads.add_user_message': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const refused =
          this.checkMessage(request.params.input, visitor) ??
          (thread.userMessageCount >= this.deps.limits.maxMessagesPerThread ? 'thread_message_cap' : null);
        if (refused) return refusal(refused, visitor, log);
        return this.addMessageAndRespond(thread, request.params.input, visitor, signal, log);
      }
      case 'threads.retry_after_item': {
        const thread = await this.ownedThread(request.params.thread_id, visitor);
        const refused = this.checkRate(visitor);
        if (refused) return refusal(refused, visitor, log);
        const later = await this.itemsAfterUserMessage(thread, request.params.item_id);
        return this.retryAfter(thread, later, visitor, signal, log);
      }
      case 'threads.add_client_tool_output':
      case 'threads.add_structured_input':
      case 'threads.custom_action':
        await this.ownedThread(request.params.thread_id, visitor);
        return single({ type: 'error', code: 'custom', message: unsupported(request.type).message, allow_retry: false });
    }
  }

  private checkRate(visitor: Visitor): LimitExceeded | null {
    if (!this.perVisitor.hit(visitor.user)) return 'visitor_message_rate';
    // Keyed like the request limiters: an IPv6 network (/56) or an IPv4 address, however written.
    if (!this.perIp.hit(clientKey(visitor.ip))) return 'ip_message_rate';
    return null;
  }

  private checkMessage(input: UserMessageInput, visitor: Visitor): LimitExceeded | null {
    if (inputLength(input) > this.deps.limits.maxInputChars) return 'input_too_long';
    if (input.attachments.length > 0) throw unsupported('attachments');
    return this.checkRate(visitor);
  }

  /** A quick refusal before the model is asked; the write itself holds the cap (createThreadWithinDailyCap). */
  private async checkDailyThreads(visitor: Visitor): Promise<LimitExceeded | null> {
    const started = await this.deps.store.threadsStartedOn(visitor.user, utcDay(this.deps.now()));
    return started >= this.deps.limits.maxThreadsPerVisitorPerDay ? 'daily_thread_cap' : null;
  }

  private async *createThreadAndRespond(
    input: UserMessageInput,
    visitor: Visitor,
    signal: AbortSignal,
    log: Logger,
  ): AsyncGenerator<ThreadStreamEvent> {
    const { store } = this.deps;
    const thread: StoredThread = {
      id: store.generateThreadId(),
      title: null,
      created_at: this.deps.now().toISOString(),
      status: { type: 'active' },
      metadata: { locale: visitor.locale, ...(visitor.pageUrl ? { page_url: visitor.pageUrl } : {}) },
      owner: visitor.user,
      userMessageCount: 0,
    };
    const item = this.userItem(thread, input);
    // The history is this one message: the model starts on it while the thread and the message
    // are written (one write); nothing is streamed before the write succeeds.
    const turn = this.startReply(visitor, signal, [item]);
    const cap = { day: utcDay(this.deps.now()), max: this.deps.limits.maxThreadsPerVisitorPerDay };
    if (!(await turn.reply.after(store.createThreadWithinDailyCap(thread, item, cap)))) {
      // Simultaneous new threads took the last places of the day: nothing was written.
      turn.reply.cancel();
      yield refusalEvent('daily_thread_cap', visitor, log);
      return;
    }
    log.info({ threadId: thread.id, locale: visitor.locale }, 'chatkit thread created');
    yield { type: 'thread.created', thread: threadView(thread) };
    yield { type: 'thread.item.done', item };
    yield* this.respond(thread, visitor, signal, log, turn);
  }

  private async *addMessageAndRespond(
    thread: StoredThread,
    input: UserMessageInput,
    visitor: Visitor,
    signal: AbortSignal,
    log: Logger,
  ): AsyncGenerator<ThreadStreamEvent> {
    const item = this.userItem(thread, input);
    // The history read and the write do not depend on each other, and the model needs only the read.
    const written = this.deps.store.addUserMessageWithinCap(thread, item, this.deps.limits.maxMessagesPerThread);
    written.catch(() => undefined); // awaited below, unless the read fails first
    const earlier = await this.recentItems(thread.id);
    const turn = this.startReply(visitor, signal, [...earlier.filter((other) => other.id !== item.id), item]);
    if (!(await turn.reply.after(written))) {
      // Simultaneous messages took the thread's last places: nothing was written.
      turn.reply.cancel();
      yield refusalEvent('thread_message_cap', visitor, log);
      return;
    }
    yield { type: 'thread.item.done', item };
    yield* this.respond(thread, visitor, signal, log, turn);
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

  /** The items after a user message, newest first (the reference's reverse pagination). */
  private async itemsAfterUserMessage(thread: StoredThread, itemId: string): Promise<ThreadItem[]> {
    const after: ThreadItem[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await this.deps.store.listItems(thread.id, { limit: DEFAULT_PAGE_SIZE, order: 'desc', after: cursor });
      for (const item of page.data) {
        if (item.id === itemId) {
          if (item.type !== 'user_message') throw new AppError('invalid_request', 'params.item_id: must name a user message');
          return after;
        }
        after.push(item);
      }
      if (!page.has_more) throw notFound();
      cursor = page.after;
    }
  }

  private async *retryAfter(
    thread: StoredThread,
    later: readonly ThreadItem[],
    visitor: Visitor,
    signal: AbortSignal,
    log: Logger,
  ): AsyncGenerator<ThreadStreamEvent> {
    for (const item of later) await this.deps.store.deleteItem(thread.id, item.id);
    const turn = this.startReply(visitor, signal, await this.recentItems(thread.id));
    yield* this.respond(thread, visitor, signal, log, turn);
  }

  /**
   * Starts the agent on the recent items, as much of them as the history budget allows; the turn
   * context (shop clock, page) is computed now.
   */
  private startReply(visitor: Visitor, signal: AbortSignal, items: readonly ThreadItem[]): StartedTurn {
    const history = fitHistory(toHistory(items), this.deps.historyChars);
    const page = { locale: visitor.locale, pageUrl: visitor.pageUrl };
    const reply = new EarlyReply(
      (replySignal) =>
        this.deps.agent.streamReply({
          history: history.messages,
          context: turnContext(this.deps.shop, this.deps.now(), page),
          signal: replySignal,
        }),
      AbortSignal.any([signal, this.closing.signal]),
    );
    return { reply, history: { messages: history.messages.length, dropped: history.dropped, chars: history.chars } };
  }

  /** One assistant turn: stream the agent's reply as ChatKit deltas and persist what was streamed. */
  private async *respond(
    thread: StoredThread,
    visitor: Visitor,
    signal: AbortSignal,
    log: Logger,
    { reply, history }: StartedTurn,
  ): AsyncGenerator<ThreadStreamEvent> {
    const { store } = this.deps;
    yield { type: 'stream_options', stream_options: { allow_cancel: true } };
    const assistant: AssistantMessageItem = {
      id: store.generateItemId(),
      thread_id: thread.id,
      created_at: this.deps.now().toISOString(),
      type: 'assistant_message',
      content: [],
    };
    let text = '';
    let outcome: 'completed' | 'failed' | 'cancelled' | 'interrupted' = 'completed';
    let failure: AgentFailure | null = null;
    try {
      yield { type: 'thread.item.added', item: assistant };
      const part = { type: 'output_text' as const, text: '', annotations: [] };
      yield {
        type: 'thread.item.updated',
        item_id: assistant.id,
        update: { type: 'assistant_message.content_part.added', content_index: 0, content: part },
      };
      try {
        for await (const delta of reply) {
          text += delta;
          yield {
            type: 'thread.item.updated',
            item_id: assistant.id,
            update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
          };
        }
        if (signal.aborted) outcome = 'cancelled';
        else if (this.closing.signal.aborted) outcome = 'interrupted';
      } catch (error) {
        if (signal.aborted) outcome = 'cancelled';
        else if (this.closing.signal.aborted) outcome = 'interrupted';
        else {
          outcome = 'failed';
          failure = error instanceof AgentFailure ? error : new AgentFailure('upstream', { cause: error });
          log.warn({ threadId: thread.id, kind: failure.kind, cause: failure.cause }, 'agent turn failed');
        }
      }

      if (outcome === 'cancelled') {
        // The visitor left: keep what they saw, and tell the next turn not to continue it.
        if (text.trim()) await this.save(thread.id, withText(assistant, text), log);
        await this.save(
          thread.id,
          {
            id: store.generateItemId(),
            thread_id: thread.id,
            created_at: this.deps.now().toISOString(),
            type: 'sdk_hidden_context',
            content: CANCELLED_NOTE,
          },
          log,
        );
        log.info({ threadId: thread.id, chars: text.length }, 'chatkit stream cancelled by the client');
        return;
      }
      if (text.trim()) {
        const done = withText(assistant, text);
        yield {
          type: 'thread.item.updated',
          item_id: assistant.id,
          update: { type: 'assistant_message.content_part.done', content_index: 0, content: done.content[0] ?? part },
        };
        await this.save(thread.id, done, log);
        yield { type: 'thread.item.done', item: done };
      } else {
        yield { type: 'thread.item.removed', item_id: assistant.id };
      }
      if (failure) {
        yield {
          type: 'error',
          code: 'custom',
          message: visitorMessage(failure.kind, visitor.locale),
          allow_retry: failure.kind !== 'refused',
        };
      } else if (outcome === 'interrupted') {
        // This instance is shutting down: what was streamed is kept, and a retry reaches another one.
        yield { type: 'error', code: 'custom', message: visitorMessage('interrupted', visitor.locale), allow_retry: true };
      }
    } catch (error) {
      outcome = 'failed';
      log.error({ threadId: thread.id, err: error }, 'chatkit turn could not be saved');
      yield { type: 'error', code: 'stream.error', allow_retry: true };
    } finally {
      // The lead follows the conversation: every ended turn (even a failed one) is a signal.
      this.signalLead(thread, assistant.id, visitor, log);
      log.info({ threadId: thread.id, outcome, chars: text.length, history }, 'chatkit turn ended');
    }
  }

  /**
   * Saves an item of the reply; a store outage is retried (a write that landed before its answer
   * was lost counts as saved), and only then fails the turn, which says so to the visitor.
   */
  private async save(threadId: string, item: ThreadItem, log: Logger): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.deps.store.addItem(threadId, item);
        return;
      } catch (error) {
        const wait = SAVE_RETRY_DELAYS_MS[attempt];
        if (!(error instanceof ThreadStoreUnavailable) || wait === undefined) throw error;
        log.warn({ threadId, itemType: item.type, attempt: attempt + 1, err: error }, 'saving the reply failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * Ends the streams still open (SIGTERM, before the drain runs out): each stops its model call,
   * keeps the partial reply and ends with a retryable `error` event, as a failed turn does.
   */
  interruptStreams(): void {
    this.closing.abort();
  }

  private signalLead(thread: StoredThread, turnItemId: string, visitor: Visitor, log: Logger): void {
    this.deps.leadTrigger
      .turnCompleted({ threadId: thread.id, turnItemId, user: visitor.user, locale: visitor.locale, pageUrl: visitor.pageUrl })
      .catch((error: unknown) => log.error({ threadId: thread.id, err: error }, 'lead trigger could not be scheduled'));
  }

  /** The last items of the thread, oldest first. */
  private async recentItems(threadId: string): Promise<ThreadItem[]> {
    const page = await this.deps.store.listItems(threadId, { limit: this.deps.historyItems, order: 'desc' });
    return [...page.data].reverse();
  }
}

/** The conversation as the agent reads it: customer and assistant text only, oldest first. */
function toHistory(items: readonly ThreadItem[]): ConversationMessage[] {
  const messages: ConversationMessage[] = [];
  for (const item of items) {
    if (item.type === 'user_message') {
      const text = item.content
        .map((part) => part.text)
        .join('\n')
        .trim();
      if (text) messages.push({ role: 'user', text: item.quoted_text ? `> ${item.quoted_text}\n${text}` : text });
    } else if (item.type === 'assistant_message') {
      const text = item.content
        .map((part) => part.text)
        .join('\n')
        .trim();
      if (text) messages.push({ role: 'assistant', text });
    }
  }
  return messages;
}

function withText(item: AssistantMessageItem, text: string): AssistantMessageItem {
  return { ...item, content: [{ type: 'output_text', text, annotations: [] }] };
}

function unsupported(what: string): AppError {
  return new AppError('invalid_request', `type: ${what} is not supported by this chat`);
}

async function* single(event: ThreadStreamEvent): AsyncGenerator<ThreadStreamEvent> {
  yield event;
}

/** A turn over a limit: one `error` event for the visitor, one log line (how often each limit bites). */
function refusalEvent(kind: LimitExceeded, visitor: Visitor, log: Logger): ThreadStreamEvent {
  log.info({ limit: kind }, 'chatkit turn refused by a limit');
  return { type: 'error', code: 'custom', message: visitorMessage(kind, visitor.locale), allow_retry: false };
}

function refusal(kind: LimitExceeded, visitor: Visitor, log: Logger): AsyncGenerator<ThreadStreamEvent> {
  return single(refusalEvent(kind, visitor, log));
}

/** The daily cap's day: the UTC date. */
const utcDay = (now: Date): string => now.toISOString().slice(0, 10);

async function pageOrNotFound<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ThreadStoreNotFound) throw new AppError('invalid_request', 'params.after: names no item of this list');
    throw error;
  }
}
