import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema, threadIdSchema } from '@lead-intake/shared/api';

export const taskPath = '/tasks/lead';

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
