import { isHiddenItem, type Page, type Thread, type ThreadItem } from '@lead-intake/shared/chatkit';
import type { StoredThread } from '@lead-intake/shared';

const emptyPage: Page<ThreadItem> = { data: [], has_more: false, after: null };

/** A thread as the client sees it (the reference's `_to_thread_response`): no owner, no metadata, no hidden items. */
export function threadView(thread: StoredThread, items: Page<ThreadItem> = emptyPage): Thread {
  return {
    id: thread.id,
    ...(thread.title ? { title: thread.title } : {}),
    created_at: thread.created_at,
    status: thread.status,
    items: visibleItems(items),
  };
}

export function visibleItems(page: Page<ThreadItem>): Page<ThreadItem> {
  return { ...page, data: page.data.filter((item) => !isHiddenItem(item)) };
}
