import { z } from 'zod';

/**
 * ChatKit thread items as the reference server (openai/chatkit-python, chatkit/types.py) defines
 * them. Items we never produce (widgets, workflows, tool calls…) are accepted loosely so a stored
 * or client-sent item is never rejected for a field we do not model.
 */

export const isoDateTime = z.iso.datetime({ offset: true });

const itemBase = {
  id: z.string().min(1),
  thread_id: z.string().min(1),
  created_at: isoDateTime,
};

export const userMessageTextContentSchema = z.object({ type: z.literal('input_text'), text: z.string() });
export const userMessageTagContentSchema = z.object({
  type: z.literal('input_tag'),
  id: z.string(),
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
  group: z.string().nullable().optional(),
  interactive: z.boolean().optional(),
});
export const userMessageContentSchema = z.discriminatedUnion('type', [userMessageTextContentSchema, userMessageTagContentSchema]);
export type UserMessageContent = z.infer<typeof userMessageContentSchema>;

export const inferenceOptionsSchema = z.object({
  tool_choice: z.object({ id: z.string() }).nullable().optional(),
  model: z.string().nullable().optional(),
});
export type InferenceOptions = z.infer<typeof inferenceOptionsSchema>;

export const annotationSchema = z.object({ type: z.literal('annotation') }).loose();

export const assistantMessageContentSchema = z.object({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(annotationSchema),
});
export type AssistantMessageContent = z.infer<typeof assistantMessageContentSchema>;

export const attachmentSchema = z
  .object({ id: z.string(), type: z.enum(['file', 'image']), name: z.string(), mime_type: z.string() })
  .loose();

export const userMessageItemSchema = z.object({
  ...itemBase,
  type: z.literal('user_message'),
  content: z.array(userMessageContentSchema),
  attachments: z.array(attachmentSchema),
  quoted_text: z.string().nullable().optional(),
  inference_options: inferenceOptionsSchema,
});
export type UserMessageItem = z.infer<typeof userMessageItemSchema>;

export const assistantMessageItemSchema = z.object({
  ...itemBase,
  type: z.literal('assistant_message'),
  content: z.array(assistantMessageContentSchema),
});
export type AssistantMessageItem = z.infer<typeof assistantMessageItemSchema>;

export const endOfTurnItemSchema = z.object({ ...itemBase, type: z.literal('end_of_turn') });

/** Never sent to the client: server-side notes inside a thread (e.g. "the user cancelled"). */
export const sdkHiddenContextItemSchema = z.object({
  ...itemBase,
  type: z.literal('sdk_hidden_context'),
  content: z.string(),
});
export type SdkHiddenContextItem = z.infer<typeof sdkHiddenContextItemSchema>;

const otherItemTypes = [
  'client_tool_call',
  'widget',
  'generated_image',
  'structured_input',
  'workflow',
  'task',
  'hidden_context_item',
] as const;
export const otherItemSchema = z.object({ ...itemBase, type: z.enum(otherItemTypes) }).loose();

export const threadItemSchema = z.discriminatedUnion('type', [
  userMessageItemSchema,
  assistantMessageItemSchema,
  endOfTurnItemSchema,
  sdkHiddenContextItemSchema,
  otherItemSchema,
]);
export type ThreadItem = z.infer<typeof threadItemSchema>;

export const isHiddenItem = (item: ThreadItem): boolean => item.type === 'sdk_hidden_context' || item.type === 'hidden_context_item';

export const threadStatusSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('active') }),
  z.object({ type: z.literal('locked'), reason: z.string().nullable().optional() }),
  z.object({ type: z.literal('closed'), reason: z.string().nullable().optional() }),
]);
export type ThreadStatus = z.infer<typeof threadStatusSchema>;

export const threadMetadataSchema = z.object({
  id: z.string().min(1),
  title: z.string().nullable().optional(),
  created_at: isoDateTime,
  status: threadStatusSchema,
  allowed_image_domains: z.array(z.string()).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type ThreadMetadata = z.infer<typeof threadMetadataSchema>;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), has_more: z.boolean(), after: z.string().nullable() });
export interface Page<T> {
  data: T[];
  has_more: boolean;
  after: string | null;
}

export const threadSchema = threadMetadataSchema.extend({ items: pageSchema(threadItemSchema) });
export type Thread = z.infer<typeof threadSchema>;
