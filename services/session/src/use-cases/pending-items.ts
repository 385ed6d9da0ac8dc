import type { AssistantMessageItem, SdkHiddenContextItem, ThreadItem, ThreadStreamEvent } from '@lead-intake/shared/chatkit';

/**
 * Items streamed but not done yet, kept up to date by their `thread.item.updated` events
 * (chatkit-python's `_update_pending_items`), so a cancelled turn can keep what the visitor saw.
 */
export function applyUpdate(pending: Map<string, ThreadItem>, event: Extract<ThreadStreamEvent, { type: 'thread.item.updated' }>): void {
  const item = pending.get(event.item_id);
  if (item?.type !== 'assistant_message') return;
  const { update } = event;
  const content = [...item.content];
  // An update may name a part not added yet: the parts before it start empty.
  while (content.length <= update.content_index) content.push(emptyPart());
  const part = content[update.content_index] ?? emptyPart();
  content[update.content_index] =
    update.type === 'assistant_message.content_part.text_delta' ? { ...part, text: part.text + update.delta } : update.content;
  pending.set(item.id, { ...item, content });
}

const emptyPart = () => ({ type: 'output_text' as const, text: '', annotations: [] });

export const isEmptyAssistantMessage = (item: AssistantMessageItem): boolean => item.content.every((part) => !part.text.trim());

/** What the reference stores when the visitor cancels: the next turn must not continue the cut answer. */
const CANCELLED_NOTE = 'The user cancelled the stream. Stop responding to the prior request.';

export const cancelledNote = (base: Pick<ThreadItem, 'id' | 'thread_id' | 'created_at'>): SdkHiddenContextItem => ({
  ...base,
  type: 'sdk_hidden_context',
  content: CANCELLED_NOTE,
});
