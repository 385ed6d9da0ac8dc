import { allItems, type ThreadStore } from '@lead-intake/shared';
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import { transcriptFromChatKit } from '../domain/chatkit-transcript.js';
import { PermanentError, ThreadNotFoundError, TransientError } from '../domain/errors.js';
import type { Transcript } from '../domain/transcript.js';
import type { ThreadReader } from '../ports.js';

/**
 * Adapter: our ChatKit threads, read through the thread store the session service writes
 * (`FirestoreThreadStore`, collection `CHAT_THREADS_COLLECTION`). Read-only. A store outage is
 * transient (503, Cloud Tasks retries); anything else will not get better by retrying.
 */
export class ThreadStoreReader implements ThreadReader {
  constructor(private readonly store: ThreadStore) {}

  /** One document get: the thread's customer-message count. */
  async version(threadId: string): Promise<number | null> {
    const thread = await classify(() => this.store.loadThread(threadId), 'looking up the thread');
    return thread ? thread.userMessageCount : null;
  }

  async fetchTranscript(threadId: string): Promise<Transcript> {
    return classify(async () => {
      const thread = await this.store.loadThread(threadId);
      if (!thread) throw new ThreadNotFoundError(threadId);
      const items: ThreadItem[] = [];
      for await (const item of allItems(this.store, threadId)) items.push(item);
      return transcriptFromChatKit(thread, items);
    }, 'reading the thread');
  }
}

async function classify<T>(operation: () => Promise<T>, doing: string): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    // The store's outages are TransientError already.
    if (error instanceof TransientError || error instanceof PermanentError) throw error;
    throw new PermanentError(`unexpected error while ${doing}`, { cause: error });
  }
}
