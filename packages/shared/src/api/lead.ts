import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema, threadIdSchema } from './common.js';

export const leadPath = '/api/chatkit/lead';

export const leadTriggerReasons = ['auto', 'idle', 'pagehide', 'chat_closed'] as const;
export type LeadTriggerReason = (typeof leadTriggerReasons)[number];

export const leadRequestSchema = z.object({
  threadId: threadIdSchema,
  reason: z.enum(leadTriggerReasons, { error: `must be one of ${leadTriggerReasons.join(', ')}` }),
  locale: localeSchema.optional(),
  pageUrl: pageUrlSchema.optional(),
  user: anonUserIdSchema.optional(),
});

export type LeadRequest = z.infer<typeof leadRequestSchema>;

/**
 * `queued`: a lease was taken and its evaluation scheduled; `follow_up_queued`: the lead email is
 * sent and what the customer wrote since is on its way to the shop as a follow-up.
 */
export const leadOutcomes = [
  'queued',
  'follow_up_queued',
  'in_progress',
  'already_sent',
  'cooldown',
  'not_ready',
  'missing_contact',
] as const;
export type LeadOutcome = (typeof leadOutcomes)[number];

export const leadResponseSchema = z.object({
  ok: z.literal(true),
  sent: z.boolean(),
  reason: z.enum(leadOutcomes),
  sent_at: z.number().int().optional(),
  missing_info: z.array(z.string()).optional(),
});

export type LeadResponse = z.infer<typeof leadResponseSchema>;
