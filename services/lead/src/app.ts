import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { AppError, browserEndpoint, createBaseApp, finishApp, fromZodError } from '@lead-intake/shared';
import { leadPath, leadRequestSchema } from '@lead-intake/shared/api';
import type { OidcVerifier } from './adapters/oidc-verifier.js';
import { TransientError } from './domain/errors.js';
import { leadTaskPayloadSchema, taskPath } from './task-payload.js';
import { runLeadTask, type EvaluateLeadDeps } from './use-cases/evaluate-lead.js';
import { triggerLead, type TriggerLeadDeps } from './use-cases/trigger-lead.js';

export interface AppDeps extends TriggerLeadDeps, EvaluateLeadDeps {
  logger: Logger;
  projectId?: string | undefined;
  allowedOrigins: readonly string[];
  rateLimitPerMinute: number;
  trustProxy: number | false;
  verifier: Pick<OidcVerifier, 'verify'>;
  taskMaxAttempts: number;
}

export function createApp(deps: AppDeps): Express {
  const app = createBaseApp({ logger: deps.logger, projectId: deps.projectId, trustProxy: deps.trustProxy });
  browserEndpoint(
    app,
    leadPath,
    // navigator.sendBeacon posts its string body as text/plain.
    { allowedOrigins: deps.allowedOrigins, rateLimitPerMinute: deps.rateLimitPerMinute, bodyLimit: '8kb', acceptTextPlain: true },
    async (req, res) => {
      const parsed = leadRequestSchema.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error);
      const result = await triggerLead(deps, parsed.data, req.log);
      res.set('Cache-Control', 'no-store').json(result);
    },
  );

  // Cloud Tasks only: not under /api, so Firebase Hosting never routes browsers here.
  app.post(
    taskPath,
    async (req, _res, next) => {
      const verdict = await deps.verifier.verify(req.get('authorization'));
      if (verdict.ok) return next();
      req.log.warn({ reason: verdict.reason }, 'task request refused');
      throw new AppError(verdict.status === 401 ? 'unauthorized' : 'forbidden', 'This endpoint only accepts Cloud Tasks requests.');
    },
    express.json({ limit: '64kb' }),
    async (req, res) => {
      const parsed = leadTaskPayloadSchema.safeParse(req.body);
      if (!parsed.success) throw fromZodError(parsed.error);
      const retryCount = Number(req.get('x-cloudtasks-taskretrycount') ?? 0) || 0;
      try {
        const outcome = await runLeadTask(
          deps,
          parsed.data,
          { retryCount, maxAttempts: deps.taskMaxAttempts },
          req.log.child({ task: req.get('x-cloudtasks-taskname'), retryCount }),
        );
        res.json({ ok: true, outcome });
      } catch (error) {
        if (error instanceof TransientError) {
          // Non-2xx: Cloud Tasks retries with the queue's backoff.
          throw new AppError('unavailable', 'Temporarily unable to process the lead; retry later.', { cause: error });
        }
        throw error;
      }
    },
  );

  return finishApp(app, { [leadPath]: ['POST', 'OPTIONS'], [taskPath]: ['POST'] });
}
