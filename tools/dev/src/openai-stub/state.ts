/** What the stub remembers between requests. */
import type { ChatSession } from 'openai/resources/beta/chatkit/threads';
import type { ShopContact } from './lead-summary.js';
import { ThreadStore } from './threads.js';

export interface StubState {
  /** ChatKit sessions by id, as last returned to the caller. */
  readonly sessions: Map<string, ChatSession>;
  /** ChatKit threads (fixtures and threads put by code or over HTTP). */
  readonly threads: ThreadStore;
  /** The shop's own phone/email, never taken for the customer's in lead summaries. */
  readonly shop: ShopContact;
}

export function createState(now: () => number, shop: ShopContact): StubState {
  return { sessions: new Map(), threads: new ThreadStore(now), shop };
}
