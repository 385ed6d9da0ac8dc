import { z } from 'zod';
import type { Transcript, TranscriptMessage } from './transcript.js';

/**
 * The parts of ChatKit's `chatkit.thread` / `chatkit.thread_item` objects we read, validated
 * loosely (unknown fields and item types pass) so API additions do not break us.
 */
const userMessage = z.object({
  type: z.literal('chatkit.user_message'),
  id: z.string(),
  created_at: z.number(),
  // input_text is what the customer typed; quoted_text quotes earlier (often assistant) text.
  content: z.array(z.object({ type: z.string().optional(), text: z.string() }).loose()),
  attachments: z
    .array(
      z
        .object({
          name: z.string(),
          mime_type: z.string(),
          preview_url: z.string().nullable().optional(),
          type: z.enum(['image', 'file']),
        })
        .loose(),
    )
    .default([]),
});
const assistantMessage = z.object({
  type: z.literal('chatkit.assistant_message'),
  id: z.string(),
  created_at: z.number(),
  content: z.array(z.object({ text: z.string() }).loose()),
});
const otherItem = z.object({ type: z.string() }).loose();

export const chatKitItemSchema = z.union([userMessage, assistantMessage, otherItem]);
export type ChatKitItem = z.input<typeof chatKitItemSchema>;

export const chatKitThreadSchema = z
  .object({
    id: z.string(),
    created_at: z.number(),
    title: z.string().nullable().optional(),
    user: z.string().nullable().optional(),
  })
  .loose();
export interface ChatKitThreadInfo {
  id: string;
  created_at: number;
  title?: string | null | undefined;
  user?: string | null | undefined;
}

/** A thread and its items (any order; sorted oldest first) as the shop's transcript. */
export function transcriptFromChatKit(thread: ChatKitThreadInfo, items: readonly unknown[]): Transcript {
  const messages: TranscriptMessage[] = [];
  for (const raw of items) {
    const item = chatKitItemSchema.parse(raw);
    if (item.type === 'chatkit.user_message' && 'attachments' in item) {
      const user = item as z.output<typeof userMessage>;
      messages.push({
        id: user.id,
        role: 'customer',
        text: user.content
          .filter((part) => part.type === undefined || part.type === 'input_text')
          .map((part) => part.text)
          .join('\n')
          .trim(),
        createdAt: user.created_at,
        attachments: user.attachments.map((attachment) => ({
          name: attachment.name,
          mimeType: attachment.mime_type,
          url: attachment.preview_url ?? null,
          kind: attachment.type,
        })),
      });
    } else if (item.type === 'chatkit.assistant_message' && 'content' in item) {
      const assistant = item as z.output<typeof assistantMessage>;
      messages.push({
        id: assistant.id,
        role: 'assistant',
        text: assistant.content.map((part) => part.text).join('\n').trim(),
        createdAt: assistant.created_at,
        attachments: [],
      });
    }
    // widgets, tasks and tool calls are not conversation text
  }
  messages.sort((a, b) => a.createdAt - b.createdAt);
  return {
    threadId: thread.id,
    title: thread.title ?? null,
    user: thread.user ?? null,
    createdAt: thread.created_at,
    messages,
  };
}
