import { z } from 'zod';
import { inferenceOptionsSchema, userMessageContentSchema } from './items.js';

/** ChatKit server protocol requests (chatkit/types.py `ChatKitReq`), discriminated by `type`. */

export const userMessageInputSchema = z.object({
  content: z.array(userMessageContentSchema).min(1, 'must hold at least one content part'),
  attachments: z.array(z.string()).default([]),
  quoted_text: z.string().nullable().optional(),
  inference_options: inferenceOptionsSchema.default({}),
});
export type UserMessageInput = z.infer<typeof userMessageInputSchema>;

const metadata = z.record(z.string(), z.unknown()).default({});
const id = z.string().min(1).max(200);
const order = z.enum(['asc', 'desc']).default('desc');
const limit = z.number().int().min(1).max(100).nullable().optional();
const after = z.string().min(1).max(200).nullable().optional();
const actionSchema = z.object({ type: z.string(), payload: z.unknown().optional() }).loose();

const request = <T extends string, P extends z.ZodType>(type: T, params: P) => z.object({ type: z.literal(type), params, metadata });

export const threadsCreateRequest = request('threads.create', z.object({ input: userMessageInputSchema }));
export const threadsAddUserMessageRequest = request('threads.add_user_message', z.object({ thread_id: id, input: userMessageInputSchema }));
export const threadsAddClientToolOutputRequest = request(
  'threads.add_client_tool_output',
  z.object({ thread_id: id, result: z.unknown() }),
);
export const threadsAddStructuredInputRequest = request(
  'threads.add_structured_input',
  z.object({ thread_id: id, item_id: id, input: z.object({}).loose() }),
);
export const threadsRetryAfterItemRequest = request('threads.retry_after_item', z.object({ thread_id: id, item_id: id }));
const customActionParams = z.object({ thread_id: id, item_id: id.nullable().optional(), action: actionSchema });
export const threadsCustomActionRequest = request('threads.custom_action', customActionParams);

export const threadsGetByIdRequest = request('threads.get_by_id', z.object({ thread_id: id }));
export const threadsListRequest = request('threads.list', z.object({ limit, order, after }).default({ order: 'desc' }));
export const itemsListRequest = request('items.list', z.object({ thread_id: id, limit, order, after }));
export const threadsUpdateRequest = request(
  'threads.update',
  z.object({ thread_id: id, title: z.string().max(200, 'must be at most 200 characters') }),
);
export const threadsDeleteRequest = request('threads.delete', z.object({ thread_id: id }));
export const itemsFeedbackRequest = request(
  'items.feedback',
  z.object({ thread_id: id, item_ids: z.array(id).min(1).max(100), kind: z.enum(['positive', 'negative']) }),
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
