import type { AssistantMessageContent, Thread, ThreadItem } from './items.js';

/** Thread stream events (chatkit/types.py `ThreadStreamEvent`) that our server emits. */

export type AssistantMessageUpdate =
  | { type: 'assistant_message.content_part.added'; content_index: number; content: AssistantMessageContent }
  | { type: 'assistant_message.content_part.text_delta'; content_index: number; delta: string }
  | { type: 'assistant_message.content_part.done'; content_index: number; content: AssistantMessageContent };

export type StreamErrorCode = 'stream.error' | 'custom';

export type ThreadStreamEvent =
  | { type: 'thread.created'; thread: Thread }
  | { type: 'thread.updated'; thread: Thread }
  | { type: 'thread.item.added'; item: ThreadItem }
  | { type: 'thread.item.updated'; item_id: string; update: AssistantMessageUpdate }
  | { type: 'thread.item.done'; item: ThreadItem }
  | { type: 'thread.item.removed'; item_id: string }
  | { type: 'thread.item.replaced'; item: ThreadItem }
  | { type: 'stream_options'; stream_options: { allow_cancel: boolean } }
  | { type: 'progress_update'; icon?: string; text: string }
  | { type: 'client_effect'; name: string; data: Record<string, unknown> }
  | { type: 'error'; code: StreamErrorCode; message?: string; allow_retry: boolean }
  | { type: 'notice'; level: 'info' | 'warning' | 'danger'; message: string; title?: string };

/** One SSE frame, as the reference server writes it. */
export const sseFrame = (event: ThreadStreamEvent): string => `data: ${JSON.stringify(event)}\n\n`;
