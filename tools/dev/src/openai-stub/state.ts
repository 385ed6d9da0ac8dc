/** What the stub remembers between requests. */
import type { ShopContact } from './lead-summary.js';
import { SummaryStore } from './summaries.js';

export interface StubState {
  /** Lead summaries pinned per thread id (fixtures, code, HTTP). */
  readonly summaries: SummaryStore;
  /** The shop's own phone/email, never taken for the customer's in lead summaries. */
  readonly shop: ShopContact;
}

export function createState(shop: ShopContact): StubState {
  return { summaries: new SummaryStore(), shop };
}
