import { clientKey, type StoredThread, type ThreadStore } from '@lead-intake/shared';
import type { UserMessageInput } from '@lead-intake/shared/chatkit';
import { MinuteCounter, inputLength, type LimitExceeded, type UsageLimitSettings } from '../domain/usage-limits.js';
import type { Visitor } from '../domain/visitor.js';
import { visitorMessage } from '../domain/visitor-messages.js';

/**
 * Cost protection for turns (decisions 0007 and 0023): refuses a turn before anything is written
 * or the model is asked, and gives the caps the turn's own write holds (the store claims a place
 * under them atomically, so simultaneous turns cannot overrun them).
 */
export class TurnGuard {
  private readonly perVisitor: MinuteCounter;
  private readonly perIp: MinuteCounter;

  constructor(
    private readonly store: Pick<ThreadStore, 'threadsStartedOn'>,
    private readonly limits: UsageLimitSettings,
  ) {
    this.perVisitor = new MinuteCounter(limits.messagesPerMinutePerVisitor);
    this.perIp = new MinuteCounter(limits.messagesPerMinutePerIp);
  }

  get maxMessagesPerThread(): number {
    return this.limits.maxMessagesPerThread;
  }

  /** The daily cap the new thread's write claims a place under: the UTC day. */
  dailyThreadCap(now: Date): { day: string; max: number } {
    return { day: utcDay(now), max: this.limits.maxThreadsPerVisitorPerDay };
  }

  /** A quick refusal before the model is asked; the write itself holds the cap (createThreadWithinDailyCap). */
  async admitNewThread(input: UserMessageInput, visitor: Visitor, now: Date): Promise<LimitExceeded | null> {
    const refused = this.checkMessage(input, visitor);
    if (refused) return refused;
    const started = await this.store.threadsStartedOn(visitor.user, utcDay(now));
    return started >= this.limits.maxThreadsPerVisitorPerDay ? 'daily_thread_cap' : null;
  }

  admitMessage(thread: StoredThread, input: UserMessageInput, visitor: Visitor): LimitExceeded | null {
    return this.checkMessage(input, visitor) ?? (thread.userMessageCount >= this.limits.maxMessagesPerThread ? 'thread_message_cap' : null);
  }

  admitRetry(visitor: Visitor): LimitExceeded | null {
    return this.checkRate(visitor);
  }

  refusalMessage(limit: LimitExceeded, visitor: Visitor): string {
    return visitorMessage(limit, visitor.locale);
  }

  private checkMessage(input: UserMessageInput, visitor: Visitor): LimitExceeded | null {
    if (inputLength(input) > this.limits.maxInputChars) return 'input_too_long';
    return this.checkRate(visitor);
  }

  private checkRate(visitor: Visitor): LimitExceeded | null {
    if (!this.perVisitor.hit(visitor.user)) return 'visitor_message_rate';
    // Keyed like the request limiters: an IPv6 network (/56) or an IPv4 address, however written.
    if (!this.perIp.hit(clientKey(visitor.ip))) return 'ip_message_rate';
    return null;
  }
}

/** The daily cap's day: the UTC date. */
const utcDay = (now: Date): string => now.toISOString().slice(0, 10);
