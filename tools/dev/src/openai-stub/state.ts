/** What the stub remembers between requests. Later route groups (threads, responses) add their maps here. */
import type { ChatSession } from 'openai/resources/beta/chatkit/threads';

export interface StubState {
  /** ChatKit sessions by id, as last returned to the caller. */
  readonly sessions: Map<string, ChatSession>;
}

export function createState(): StubState {
  return { sessions: new Map() };
}
