import type { Page, ThreadItem, ThreadMetadata } from '../chatkit/items.js';

/** A thread as we keep it: the protocol's metadata plus who owns it and what it has cost. */
export interface StoredThread extends ThreadMetadata {
  /** The visitor id (`anon_…`) the thread belongs to; nobody else sees it. */
  owner: string;
  /** Customer messages so far (the per-thread cost limit). */
  userMessageCount: number;
}

export interface PageQuery {
  limit: number;
  order: 'asc' | 'desc';
  /** The last id of the previous page (exclusive). */
  after?: string | null | undefined;
}

/**
 * Port: ChatKit threads and their ordered items (Firestore in production). Items keep exactly
 * what `thread.item.done` carried. Reads return null / throw `ThreadStoreNotFound` for unknown ids;
 * an outage is a `TransientError`.
 */
export interface ThreadStore {
  generateThreadId(): string;
  generateItemId(): string;
  /** Creates the thread (with its first item, in one write when given); fails if the id exists. */
  createThread(thread: StoredThread, firstItem?: ThreadItem): Promise<void>;
  loadThread(threadId: string): Promise<StoredThread | null>;
  /** Title, status and metadata. */
  updateThread(thread: StoredThread): Promise<void>;
  deleteThread(threadId: string): Promise<void>;
  listThreads(owner: string, query: PageQuery): Promise<Page<StoredThread>>;
  /** Threads the owner started on `day` (a UTC date, `YYYY-MM-DD`) under the daily cap. */
  threadsStartedOn(owner: string, day: string): Promise<number>;
  /**
   * Creates the thread with its first user message, unless its owner already started `cap.max`
   * threads on `cap.day`: then false, and nothing is written. Holds under concurrency: of any
   * number of simultaneous calls, at most the free places succeed.
   */
  createThreadWithinDailyCap(thread: StoredThread, firstItem: ThreadItem, cap: { day: string; max: number }): Promise<boolean>;
  /**
   * Appends a user message (bumping `userMessageCount`) unless the thread already holds `max`:
   * then false, and nothing is written. Holds under concurrency like the daily cap.
   */
  addUserMessageWithinCap(thread: StoredThread, item: ThreadItem, max: number): Promise<boolean>;
  /**
   * Appends an item after every existing one; a user message also bumps `userMessageCount`.
   * Adding an item whose id is already there is a no-op (a retried write that had landed).
   */
  addItem(threadId: string, item: ThreadItem): Promise<void>;
  /** Replaces an existing item in place (same position). */
  saveItem(threadId: string, item: ThreadItem): Promise<void>;
  loadItem(threadId: string, itemId: string): Promise<ThreadItem | null>;
  deleteItem(threadId: string, itemId: string): Promise<void>;
  listItems(threadId: string, query: PageQuery): Promise<Page<ThreadItem>>;
}

/** A paging cursor (`after`) that names no item or thread. */
export class ThreadStoreNotFound extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = 'ThreadStoreNotFound';
  }
}

/** Every item of a thread, oldest first, page by page. */
export async function* allItems(store: ThreadStore, threadId: string, pageSize = 100): AsyncGenerator<ThreadItem> {
  let after: string | null = null;
  for (;;) {
    const page: Page<ThreadItem> = await store.listItems(threadId, { limit: pageSize, order: 'asc', after });
    yield* page.data;
    if (!page.has_more || page.after === null) return;
    after = page.after;
  }
}
