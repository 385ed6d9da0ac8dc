import type { UserMessageInput } from '@lead-intake/shared/chatkit';

/** Cost protection: every limit is configurable; over a limit the visitor gets a clear message. */
export interface UsageLimitSettings {
  messagesPerMinutePerVisitor: number;
  messagesPerMinutePerIp: number;
  maxInputChars: number;
  maxMessagesPerThread: number;
  maxThreadsPerVisitorPerDay: number;
}

export type LimitExceeded = 'visitor_message_rate' | 'ip_message_rate' | 'input_too_long' | 'thread_message_cap' | 'daily_thread_cap';

/**
 * Fixed one-minute windows per key, in memory per instance (decision 0007: a key is a signed
 * visitor id or the client IP as the first trusted proxy saw it, neither of which a client can
 * rotate freely). Old windows are swept as they are passed.
 */
export class MinuteCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit; false when the key is over its limit in the current window. */
  hit(key: string): boolean {
    const now = this.now();
    if (now - this.lastSweep > 60_000) this.sweep(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      this.windows.set(key, { start: now, count: 1 });
      return this.limit >= 1;
    }
    window.count += 1;
    return window.count <= this.limit;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, window] of this.windows) if (now - window.start >= 60_000) this.windows.delete(key);
  }
}

/**
 * A message's size against LIMIT_INPUT_CHARS: every text the model reads (each part's text and
 * the quoted text, which the history repeats at later turns) and what is stored beside it
 * (an input tag's data, as JSON).
 */
export function inputLength(input: UserMessageInput): number {
  let length = input.quoted_text?.length ?? 0;
  for (const part of input.content) {
    length += part.text.length;
    if (part.type === 'input_tag') length += JSON.stringify(part.data).length;
  }
  return length;
}
