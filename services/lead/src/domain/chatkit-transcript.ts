import { z } from 'zod';
import type { Transcript, TranscriptMessage } from './transcript.js';

/**
 * ChatKit threads and items as the shop's transcript. Two formats are read:
 *
 * - ours: the ChatKit protocol items our thread store keeps (`@lead-intake/shared/chatkit`):
 *   `user_message` / `assistant_message`, `created_at` an ISO 8601 string;
 * - hosted: OpenAI's hosted ChatKit `listItems` export (shut down 2026-11-30, still what a
 *   migrating shop brings): `chatkit.user_message` / `chatkit.assistant_message`, epoch seconds.
 *
 * Only the fields we read are validated, loosely (unknown fields and item types pass), so a
 * protocol addition does not break the lead email.
 */
const timestamp = z.union([z.number(), z.iso.datetime({ offset: true })]).transform(epochSeconds);

const attachments = z
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
  .default([]);

const userMessage = z.object({
  type: z.enum(['user_message', 'chatkit.user_message']),
  id: z.string(),
  created_at: timestamp,
  // input_text is what the customer typed; quoted_text (a part in the hosted format, a field in
  // ours) quotes earlier, often assistant, text; input_tag is a tag the UI inserted.
  content: z.array(z.object({ type: z.string().optional(), text: z.string().optional() }).loose()),
  attachments,
});
const assistantMessage = z.object({
  type: z.enum(['assistant_message', 'chatkit.assistant_message']),
  id: z.string(),
  created_at: timestamp,
  content: z.array(z.object({ text: z.string() }).loose()),
});
const USER_TYPES = new Set<string>(userMessage.shape.type.options);
const ASSISTANT_TYPES = new Set<string>(assistantMessage.shape.type.options);
const otherItem = z.object({ type: z.string() }).loose();

/** The thread fields we read: hosted `chatkit.thread` (epoch, `user`) or ours (ISO, `owner`). */
export const chatKitThreadSchema = z
  .object({
    id: z.string(),
    created_at: timestamp,
    title: z.string().nullable().optional(),
    user: z.string().nullable().optional(),
    owner: z.string().nullable().optional(),
    userMessageCount: z.number().int().nonnegative().optional(),
  })
  .loose();
export interface ChatKitThreadInfo {
  id: string;
  /** Epoch seconds (hosted) or ISO 8601 (ours). */
  created_at: number | string;
  title?: string | null | undefined;
  /** Hosted: the visitor id. */
  user?: string | null | undefined;
  /** Ours: the visitor id. */
  owner?: string | null | undefined;
  /** Ours: customer messages the thread has had (the conversation's version). */
  userMessageCount?: number | undefined;
}

function epochSeconds(value: number | string): number {
  return typeof value === 'number' ? value : Date.parse(value) / 1000;
}

/** A thread and its items (any order of either format; sorted oldest first) as the shop's transcript. */
export function transcriptFromChatKit(thread: ChatKitThreadInfo, items: readonly unknown[]): Transcript {
  const info = chatKitThreadSchema.parse(thread);
  const messages: TranscriptMessage[] = [];
  for (const raw of items) {
    const { type } = otherItem.parse(raw);
    if (USER_TYPES.has(type)) {
      const user = userMessage.parse(raw);
      messages.push({
        id: user.id,
        role: 'customer',
        text: user.content
          .filter((part) => (part.type === undefined || part.type === 'input_text') && typeof part.text === 'string')
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
    } else if (ASSISTANT_TYPES.has(type)) {
      const assistant = assistantMessage.parse(raw);
      messages.push({
        id: assistant.id,
        role: 'assistant',
        text: assistant.content
          .map((part) => part.text)
          .join('\n')
          .trim(),
        createdAt: assistant.created_at,
        attachments: [],
      });
    }
    // widgets, tasks, workflows, tool calls and hidden context are not conversation text
  }
  // Stable: items of the same instant keep the store's order.
  messages.sort((a, b) => a.createdAt - b.createdAt);
  return {
    threadId: info.id,
    title: info.title ?? null,
    user: info.owner ?? info.user ?? null,
    createdAt: info.created_at,
    version: Math.max(info.userMessageCount ?? 0, messages.filter((message) => message.role === 'customer').length),
    messages,
  };
}
