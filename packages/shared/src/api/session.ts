import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema } from './common.js';

export const sessionPath = '/api/chatkit/session';

export const sessionRequestSchema = z.object({
  locale: localeSchema.optional(),
  pageUrl: pageUrlSchema.optional(),
  user: anonUserIdSchema.optional(),
  /** The visitor token being refreshed, or null. */
  current: z.string().max(4096, 'must be at most 4096 characters').nullable().optional(),
});

export type SessionRequest = z.infer<typeof sessionRequestSchema>;

/** Our own signed visitor token (not an OpenAI secret), sent as `Authorization: Bearer` to /api/chatkit. */
export const sessionResponseSchema = z.object({
  token: z.string().min(1),
  /** Epoch seconds; refresh before. */
  expires_at: z.number().int().positive(),
  user: anonUserIdSchema,
});

export type SessionResponse = z.infer<typeof sessionResponseSchema>;
