import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema, threadIdSchema } from '@lead-intake/shared/api';
import { sendUncertainties, triggers } from './domain/lead-record.js';

/** The lead task worker (Cloud Tasks created by this service). */
export const taskPath = '/tasks/lead';
/** The server-side trigger (Cloud Tasks created by the session service); body = the public lead request. */
export const triggerTaskPath = '/tasks/trigger';

/** Body of a lead Cloud Task (written by CloudTasksScheduler). */
const leadTaskPayloadSchema = z.object({
  kind: z.enum(['evaluate', 'safety_net']),
  threadId: threadIdSchema,
  /** The lease the task works under; absent for the safety net (it takes its own). */
  leaseId: z.uuid().optional(),
  trigger: z.enum(triggers),
  locale: localeSchema.optional(),
  pageUrl: pageUrlSchema.optional(),
  user: anonUserIdSchema.optional(),
});

/** Body of the follow-up task that only records a send (CloudTasksScheduler.scheduleRecordSent). */
const recordSentTaskPayloadSchema = z.object({
  kind: z.literal('record_sent'),
  threadId: threadIdSchema,
  leaseId: z.uuid(),
  messageId: z.string().min(1).max(256).nullable(),
  uncertainty: z.enum(sendUncertainties).nullable(),
});

/** Every body `/tasks/lead` accepts. */
export const taskPayloadSchema = z.discriminatedUnion('kind', [leadTaskPayloadSchema, recordSentTaskPayloadSchema]);

/** What a lead task carries. */
export type LeadTaskPayload = z.infer<typeof leadTaskPayloadSchema>;
/**
 * The follow-up task of a send whose "sent" record could not be written: it only records the
 * send (it never sends), fenced by the send's lease. `messageId` is null when SES never answered.
 */
export type RecordSentTaskPayload = z.infer<typeof recordSentTaskPayloadSchema>;
