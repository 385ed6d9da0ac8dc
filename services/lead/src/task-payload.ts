import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema, threadIdSchema } from '@lead-intake/shared/api';

/** The lead task worker (Cloud Tasks created by this service). */
export const taskPath = '/tasks/lead';
/** The server-side trigger (Cloud Tasks created by the session service); body = the public lead request. */
export const triggerTaskPath = '/tasks/trigger';

/** Body of a lead Cloud Task (written by CloudTasksScheduler). */
export const leadTaskPayloadSchema = z.object({
  kind: z.enum(['evaluate', 'safety_net']),
  threadId: threadIdSchema,
  leaseId: z.uuid().optional(),
  trigger: z.enum(['auto', 'idle', 'pagehide', 'chat_closed', 'safety_net', 'resend']),
  locale: localeSchema.optional(),
  pageUrl: pageUrlSchema.optional(),
  user: anonUserIdSchema.optional(),
});

/** Body of the follow-up task that only records a send (CloudTasksScheduler.scheduleRecordSent). */
export const recordSentTaskPayloadSchema = z.object({
  kind: z.literal('record_sent'),
  threadId: threadIdSchema,
  leaseId: z.uuid(),
  messageId: z.string().min(1).max(256).nullable(),
  uncertainty: z.enum(['ses_reply_lost', 'task_interrupted']).nullable(),
});

/** Every body `/tasks/lead` accepts. */
export const taskPayloadSchema = z.discriminatedUnion('kind', [leadTaskPayloadSchema, recordSentTaskPayloadSchema]);
