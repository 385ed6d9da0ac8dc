import { z } from 'zod';
import { anonUserIdSchema, localeSchema, pageUrlSchema } from './common.js';

export const sessionPath = '/api/chatkit/session';

const jwtField = z.string().max(4096, 'must be at most 4096 characters');

export const sessionRequestSchema = z.object({
  locale: localeSchema.optional(),
  pageUrl: pageUrlSchema.optional(),
  /** The id this browser was given; informative only: without a valid `proof` a new identity is issued. */
  user: anonUserIdSchema.optional(),
  /** The `proof` of an earlier answer: the only thing that gets an identity back. */
  proof: jwtField.nullable().optional(),
  /** The visitor token being refreshed, or null; never proof of an identity. */
  current: jwtField.nullable().optional(),
});

export type SessionRequest = z.infer<typeof sessionRequestSchema>;

/** Our own signed visitor token (not an OpenAI secret), sent as `Authorization: Bearer` to /api/chatkit. */
export const sessionResponseSchema = z.object({
  token: z.string().min(1),
  /** Epoch seconds; refresh before. */
  expires_at: z.number().int().positive(),
  user: anonUserIdSchema,
  /**
   * Long-lived proof of `user` for this browser to keep and send as `proof` on its next mint
   * (never a bearer token). Present with a new identity or a renewed proof; absent when the
   * presented proof stays good.
   */
  proof: z.string().min(1).optional(),
});

export type SessionResponse = z.infer<typeof sessionResponseSchema>;
