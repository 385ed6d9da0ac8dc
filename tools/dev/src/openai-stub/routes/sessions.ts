/** ChatKit sessions: `POST /v1/chatkit/sessions` and `POST /v1/chatkit/sessions/{session_id}/cancel`. */
import type { ChatSession } from 'openai/resources/beta/chatkit/threads';
import { z } from 'zod';
import { notFound } from '../errors.js';
import { newClientSecret, newSessionId } from '../ids.js';
import { parseBody } from '../validation.js';
import type { RouteContext, RouteDef } from './types.js';

export const CHATKIT_BETA = 'chatkit_beta=v1';

/** Defaults documented for the ChatKit sessions API. */
const DEFAULT_EXPIRES_AFTER_SECONDS = 600;
const DEFAULT_MAX_REQUESTS_PER_MINUTE = 10;
const DEFAULT_MAX_FILES = 10;
const DEFAULT_MAX_FILE_SIZE_MB = 512;

const nonEmpty = z.string().min(1);

const createSessionBody = z.strictObject({
  user: nonEmpty,
  workflow: z.strictObject({
    id: nonEmpty,
    version: nonEmpty.optional(),
    state_variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    tracing: z.strictObject({ enabled: z.boolean().optional() }).optional(),
  }),
  expires_after: z
    .strictObject({
      anchor: z.literal('created_at'),
      seconds: z.number().int().min(1),
    })
    .optional(),
  rate_limits: z.strictObject({ max_requests_per_1_minute: z.number().int().min(1).optional() }).optional(),
  chatkit_configuration: z
    .strictObject({
      automatic_thread_titling: z.strictObject({ enabled: z.boolean().optional() }).optional(),
      file_upload: z
        .strictObject({
          enabled: z.boolean().optional(),
          max_file_size: z.number().int().min(1).max(DEFAULT_MAX_FILE_SIZE_MB).optional(),
          max_files: z.number().int().min(1).optional(),
        })
        .optional(),
      history: z
        .strictObject({
          enabled: z.boolean().optional(),
          recent_threads: z.number().int().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
});

function currentStatus(session: ChatSession, ctx: RouteContext): ChatSession['status'] {
  if (session.status === 'active' && ctx.now() >= session.expires_at * 1000) return 'expired';
  return session.status;
}

export const sessionRoutes: readonly RouteDef[] = [
  {
    method: 'POST',
    path: '/v1/chatkit/sessions',
    beta: CHATKIT_BETA,
    handle(req, ctx) {
      const body = parseBody(createSessionBody, req.body);
      const config = body.chatkit_configuration;
      const maxRequests = body.rate_limits?.max_requests_per_1_minute ?? DEFAULT_MAX_REQUESTS_PER_MINUTE;
      const session: ChatSession = {
        id: newSessionId(),
        object: 'chatkit.session',
        chatkit_configuration: {
          automatic_thread_titling: { enabled: config?.automatic_thread_titling?.enabled ?? true },
          file_upload: {
            enabled: config?.file_upload?.enabled ?? false,
            max_file_size: config?.file_upload?.max_file_size ?? DEFAULT_MAX_FILE_SIZE_MB,
            max_files: config?.file_upload?.max_files ?? DEFAULT_MAX_FILES,
          },
          history: {
            enabled: config?.history?.enabled ?? true,
            recent_threads: config?.history?.recent_threads ?? null,
          },
        },
        client_secret: newClientSecret(),
        expires_at: Math.floor(ctx.now() / 1000) + (body.expires_after?.seconds ?? DEFAULT_EXPIRES_AFTER_SECONDS),
        max_requests_per_1_minute: maxRequests,
        rate_limits: { max_requests_per_1_minute: maxRequests },
        status: 'active',
        user: body.user,
        workflow: {
          id: body.workflow.id,
          version: body.workflow.version ?? null,
          state_variables: body.workflow.state_variables ?? null,
          tracing: { enabled: body.workflow.tracing?.enabled ?? true },
        },
      };
      ctx.state.sessions.set(session.id, session);
      return { json: session };
    },
  },
  {
    method: 'POST',
    path: '/v1/chatkit/sessions/{session_id}/cancel',
    beta: CHATKIT_BETA,
    handle(req, ctx) {
      const id = req.params['session_id'] ?? '';
      const session = ctx.state.sessions.get(id);
      if (!session) throw notFound(`No session found with id '${id}'.`, 'session_id');
      const status = currentStatus(session, ctx);
      const updated: ChatSession = { ...session, status: status === 'active' ? 'cancelled' : status };
      ctx.state.sessions.set(id, updated);
      return { json: updated };
    },
  },
];
