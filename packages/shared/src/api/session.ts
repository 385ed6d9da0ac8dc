import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema } from './common.js';

export const sessionPath = '/api/chatkit/session';

export const sessionRequestSchema = z.object({
  locale: localeSchema.optional(),
  pageUrl: pageUrlSchema.optional(),
  user: anonUserIdSchema.optional(),
  /** The client secret being refreshed (ChatKit's `getClientSecret(current)`), or null. */
  current: z.string().max(4096, 'must be at most 4096 characters').nullable().optional(),
});

export type SessionRequest = z.infer<typeof sessionRequestSchema>;

export const sessionResponseSchema = z.object({
  client_secret: z.string().min(1),
  expires_at: z.number().int().positive(),
});

export type SessionResponse = z.infer<typeof sessionResponseSchema>;
