import type { ConversationMessage } from '../ports.js';

export interface FittedHistory {
  messages: ConversationMessage[];
  /** Older messages left out to stay within the budget. */
  dropped: number;
  /** Characters of text in `messages`. */
  chars: number;
}

/**
 * The most recent messages whose text fits in `budget` characters, oldest dropped first. The
 * newest message is always kept (the input limit keeps it below any sane budget), and the history
 * never starts with an assistant message whose question was dropped.
 */
export function fitHistory(history: readonly ConversationMessage[], budget: number): FittedHistory {
  let chars = 0;
  let start = history.length;
  while (start > 0) {
    const size = history[start - 1]?.text.length ?? 0;
    if (start < history.length && chars + size > budget) break;
    chars += size;
    start -= 1;
  }
  while (start < history.length - 1 && history[start]?.role === 'assistant') {
    chars -= history[start]?.text.length ?? 0;
    start += 1;
  }
  return { messages: history.slice(start), dropped: start, chars };
}
