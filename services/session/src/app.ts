import type { Express } from 'express';
import type { Logger } from 'pino';
import { browserEndpoint, createBaseApp, finishApp, fromZodError } from '@lead-intake/shared';
import { sessionPath, sessionRequestSchema } from '@lead-intake/shared/api';
import { mintSession, type MintSessionDeps } from './mint-session.js';

export interface AppDeps extends MintSessionDeps {
  logger: Logger;
  projectId?: string | undefined;
  allowedOrigins: readonly string[];
  rateLimitPerMinute: number;
  trustProxy: number | false;
}

export function createApp(deps: AppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, projectId: deps.projectId, trustProxy: deps.trustProxy });
  browserEndpoint(
    app,
    sessionPath,
    { allowedOrigins: deps.allowedOrigins, rateLimitPerMinute: deps.rateLimitPerMinute, bodyLimit: '8kb' },
    async (req, res) => {
      const parsed = sessionRequestSchema.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error);
      const session = await mintSession(deps, parsed.data, req.log);
      res.set('Cache-Control', 'no-store').json(session);
    },
  );

  return finishApp(app, { [sessionPath]: ['POST', 'OPTIONS'] });
}
