import { z } from 'zod';
import { threadIdSchema } from '../api/common.js';

/** ChatKit server protocol requests (chatkit/types.py `ChatKitReq`), discriminated by `type`. */

const label = (max: number) => z.string().max(max, `must be at most ${max} characters`);

/**
 * What a visitor sends is stored with the item, so every field has a ceiling here; the texts the
 * model reads (and tag data) are counted together against LIMIT_INPUT_CHARS by the chat server.
 */
const inputContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input_text'), text: z.string() }),
  z.object({
    type: z.literal('input_tag'),
    id: label(200),
    text: z.string(),
    data: z.record(z.string(), z.unknown()),
    group: label(200).nullable().optional(),
    interactive: z.boolean().optional(),
  }),
]);

export const userMessageInputSchema = z.object({
  content: z.array(inputContentSchema).min(1, 'must hold at least one content part').max(20, 'must hold at most 20 content parts'),
  attachments: z.array(z.string()).default([]),
  quoted_text: z.string().nullable().optional(),
  inference_options: z
    .object({
      tool_choice: z
        .object({ id: label(200) })
        .nullable()
        .optional(),
      model: label(100).nullable().optional(),
    })
    .default({}),
});
export type UserMessageInput = z.infer<typeof userMessageInputSchema>;

const metadata = z.record(z.string(), z.unknown()).default({});
/**
 * Ids are checked against our own formats here, at the protocol edge: anything else (a `/`, a
 * lone surrogate, a name Firestore reserves such as `__proto__`) is a 400 naming the field, never
 * a document path the store has to refuse.
 */
const threadId = threadIdSchema;
const itemId = z.string().regex(/^cthi_[A-Za-z0-9_-]{1,128}$/, 'must be "cthi_" followed by 1 to 128 of A-Z, a-z, 0-9, "_" or "-"');
const id = z.string().min(1).max(200);
const order = z.enum(['asc', 'desc']).default('desc');
const limit = z.number().int().min(1).max(100).nullable().optional();
const threadCursor = threadId.nullable().optional();
const itemCursor = itemId.nullable().optional();
const actionSchema = z.object({ type: z.string(), payload: z.unknown().optional() }).loose();

const request = <T extends string, P extends z.ZodType>(type: T, params: P) => z.object({ type: z.literal(type), params, metadata });

export const threadsCreateRequest = request('threads.create', z.object({ input: userMessageInputSchema }));
export const threadsAddUserMessageRequest = request(
  'threads.add_user_message',
  z.object({ thread_id: threadId, input: userMessageInputSchema }),
);
export const threadsAddClientToolOutputRequest = request(
  'threads.add_client_tool_output',
  z.object({ thread_id: threadId, result: z.unknown() }),
);
export const threadsAddStructuredInputRequest = request(
  'threads.add_structured_input',
  z.object({ thread_id: threadId, item_id: itemId, input: z.object({}).loose() }),
);
export const threadsRetryAfterItemRequest = request('threads.retry_after_item', z.object({ thread_id: threadId, item_id: itemId }));
const customActionParams = z.object({ thread_id: threadId, item_id: itemId.nullable().optional(), action: actionSchema });
export const threadsCustomActionRequest = request('threads.custom_action', customActionParams);

export const threadsGetByIdRequest = request('threads.get_by_id', z.object({ thread_id: threadId }));
export const threadsListRequest = request('threads.list', z.object({ limit, order, after: threadCursor }).default({ order: 'desc' }));
export const itemsListRequest = request('items.list', z.object({ thread_id: threadId, limit, order, after: itemCursor }));
export const threadsUpdateRequest = request(
  'threads.update',
  z.object({ thread_id: threadId, title: z.string().max(200, 'must be at most 200 characters') }),
);
export const threadsDeleteRequest = request('threads.delete', z.object({ thread_id: threadId }));
export const itemsFeedbackRequest = request(
  'items.feedback',
  z.object({ thread_id: threadId, item_ids: z.array(itemId).min(1).max(100), kind: z.enum(['positive', 'negative']) }),
);
export const attachmentsCreateRequest = request(
  'attachments.create',
  z.object({ name: z.string(), size: z.number().int().nonnegative(), mime_type: z.string() }),
);
export const attachmentsDeleteRequest = request('attachments.delete', z.object({ attachment_id: id }));
export const inputTranscribeRequest = request('input.transcribe', z.object({ audio_base64: z.string(), mime_type: z.string() }));
export const threadsSyncCustomActionRequest = request('threads.sync_custom_action', customActionParams);

export const streamingRequestSchema = z.discriminatedUnion('type', [
  threadsCreateRequest,
  threadsAddUserMessageRequest,
  threadsAddClientToolOutputRequest,
  threadsAddStructuredInputRequest,
  threadsRetryAfterItemRequest,
  threadsCustomActionRequest,
]);
export type StreamingRequest = z.infer<typeof streamingRequestSchema>;

export const nonStreamingRequestSchema = z.discriminatedUnion('type', [
  threadsGetByIdRequest,
  threadsListRequest,
  itemsListRequest,
  threadsUpdateRequest,
  threadsDeleteRequest,
  itemsFeedbackRequest,
  attachmentsCreateRequest,
  attachmentsDeleteRequest,
  inputTranscribeRequest,
  threadsSyncCustomActionRequest,
]);
export type NonStreamingRequest = z.infer<typeof nonStreamingRequestSchema>;

export const chatKitRequestSchema = z.discriminatedUnion('type', [...streamingRequestSchema.options, ...nonStreamingRequestSchema.options]);
export type ChatKitRequest = z.infer<typeof chatKitRequestSchema>;
export type ChatKitRequestType = ChatKitRequest['type'];

export const streamingRequestTypes: ReadonlySet<string> = new Set(streamingRequestSchema.options.map((o) => o.shape.type.value));
export const isStreamingRequest = (request: ChatKitRequest): request is StreamingRequest => streamingRequestTypes.has(request.type);
