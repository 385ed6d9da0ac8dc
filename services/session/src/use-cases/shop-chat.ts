import type { ShopProfile, StoredThread } from '@lead-intake/shared';
import type { AssistantMessageItem, ThreadItem, ThreadStreamEvent, UserMessageItem } from '@lead-intake/shared/chatkit';
import { fitHistory } from '../domain/history-budget.js';
import { turnContext } from '../domain/turn-context.js';
import type { Visitor } from '../domain/visitor.js';
import { visitorMessage } from '../domain/visitor-messages.js';
import { AgentFailure, type Agent, type LeadTrigger, type ThreadStore } from '../ports.js';
import { streamAssistantMessage, toConversation } from './agent-bridge.js';
import { CustomStreamError, type EndedTurn, type Turn } from './chat-server.js';
import { EarlyReply } from './early-reply.js';

export interface ShopChatDeps {
  store: Pick<ThreadStore, 'listItems' | 'generateItemId'>;
  agent: Agent;
  leadTrigger: LeadTrigger;
  shop: ShopProfile;
  /** How many recent items the agent reads back at each turn. */
  historyItems: number;
  /** Characters of conversation text the agent is sent per turn at most (oldest dropped first). */
  historyChars: number;
  now: () => Date;
}

/**
 * The shop chat's side of the ChatKit server: `respond` (the shop assistant answers the thread
 * as it stands, with the shop's clock and the visitor's page as context), the visitor's message
 * when a stream is interrupted, and the turn-ended hook that tells the lead pipeline.
 */
export class ShopChat {
  constructor(private readonly deps: ShopChatDeps) {}

  /**
   * The model starts at once, on the recent items (as much of them as the history budget allows):
   * the first token costs max(history read + write, model) instead of their sum.
   */
  respond(thread: StoredThread, input: UserMessageItem, turn: Turn): AsyncIterable<ThreadStreamEvent> {
    const started = this.startReply(thread, input, turn);
    started.catch(() => undefined); // surfaces where the events are read
    return this.answer(thread, started, turn);
  }

  private async startReply(thread: StoredThread, input: UserMessageItem, turn: Turn): Promise<EarlyReply> {
    // A new thread's history is its one message; otherwise the latest items, the input last.
    const items = turn.newThread ? [input] : [...(await this.recentItems(thread.id)).filter((item) => item.id !== input.id), input];
    const history = fitHistory(toConversation(items), this.deps.historyChars);
    turn.logFields.history = { messages: history.messages.length, dropped: history.dropped, chars: history.chars };
    const page = { locale: turn.visitor.locale, pageUrl: turn.visitor.pageUrl };
    return new EarlyReply(
      (signal) =>
        this.deps.agent.streamReply({ history: history.messages, context: turnContext(this.deps.shop, this.deps.now(), page), signal }),
      turn.signal,
    );
  }

  private async *answer(thread: StoredThread, started: Promise<EarlyReply>, turn: Turn): AsyncGenerator<ThreadStreamEvent> {
    const reply = await started;
    const empty: AssistantMessageItem = {
      id: this.deps.store.generateItemId(),
      thread_id: thread.id,
      created_at: this.deps.now().toISOString(),
      type: 'assistant_message',
      content: [],
    };
    try {
      yield* streamAssistantMessage(reply, empty);
    } catch (error) {
      if (!(error instanceof AgentFailure)) throw error;
      turn.log.warn({ threadId: thread.id, kind: error.kind, cause: error.cause }, 'agent turn failed');
      throw new CustomStreamError(visitorMessage(error.kind, turn.visitor.locale), error.kind !== 'refused');
    }
  }

  interruptedMessage(visitor: Visitor): string {
    return visitorMessage('interrupted', visitor.locale);
  }

  /** The lead follows the conversation: every ended turn (even a failed one) is a signal. */
  turnEnded({ thread, lastItemId, turn }: EndedTurn): void {
    const { visitor, log } = turn;
    this.deps.leadTrigger
      .turnCompleted({ threadId: thread.id, turnItemId: lastItemId, user: visitor.user, locale: visitor.locale, pageUrl: visitor.pageUrl })
      .catch((error: unknown) => log.error({ threadId: thread.id, err: error }, 'lead trigger could not be scheduled'));
  }

  /** The last items of the thread, oldest first. */
  private async recentItems(threadId: string): Promise<ThreadItem[]> {
    const page = await this.deps.store.listItems(threadId, { limit: this.deps.historyItems, order: 'desc' });
    return [...page.data].reverse();
  }
}
