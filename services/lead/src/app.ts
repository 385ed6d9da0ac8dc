import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, browserEndpoint, createBaseApp, finishApp, fromZodError } from '@lead-intake/shared';
import { leadPath, leadRequestSchema } from '@lead-intake/shared/api';
import type { OidcVerifier } from './adapters/oidc-verifier.js';
import { taskPath, taskPayloadSchema, triggerTaskPath } from './task-payload.js';
import { runLeadTask, type LeadTaskDeps } from './use-cases/run-lead-task.js';
import { isThreadNotFound, triggerLead, type TriggerLeadDeps } from './use-cases/trigger-lead.js';

export interface AppDeps extends Omit<TriggerLeadDeps, 'threads' | 'tasks'>, LeadTaskDeps {
  logger: Logger;
  projectId?: string | undefined;
  allowedOrigins: readonly string[];
  rateLimitPerMinute: number;
  trustProxy: number | false;
  /** `/tasks/lead`: tokens for the worker's audience (TASK_AUDIENCE). */
  verifier: Pick<OidcVerifier, 'verify'>;
  /** `/tasks/trigger`: the same service account, the trigger's audience(s) (TRIGGER_TASK_AUDIENCE). */
  triggerVerifier: Pick<OidcVerifier, 'verify'>;
  taskMaxAttempts: number;
}

/** Accepts only Cloud Tasks' OIDC token for our tasks service account (401 / 403 otherwise). */
function cloudTasksOnly(verifier: Pick<OidcVerifier, 'verify'>): RequestHandler {
  return async (req, _res, next) => {
    const verdict = await verifier.verify(req.get('authorization'));
    if (verdict.ok) return next();
    req.log.warn({ reason: verdict.reason, path: req.path }, 'task request refused');
    throw new AppError(verdict.status === 401 ? 'unauthorized' : 'forbidden', 'This endpoint only accepts Cloud Tasks requests.');
  };
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
      if (isThreadNotFound(result)) throw new AppError('not_found', 'There is no conversation with this threadId.');
      res.set('Cache-Control', 'no-store').json(result);
    },
  );

  // Cloud Tasks only: not under /api, so Firebase Hosting never routes browsers here.
  app.post(taskPath, cloudTasksOnly(deps.verifier), express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = taskPayloadSchema.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error);
    const retryCount = Number(req.get('x-cloudtasks-taskretrycount') ?? 0) || 0;
    // A TransientError is a 503 (the error middleware): Cloud Tasks retries with the queue's backoff.
    const outcome = await runLeadTask(
      deps,
      parsed.data,
      { retryCount, maxAttempts: deps.taskMaxAttempts },
      req.log.child({ task: req.get('x-cloudtasks-taskname'), retryCount }),
    );
    res.json({ ok: true, outcome });
  });

  // The session service's server-side trigger, through its own Cloud Tasks queue: the same use
  // case as the public endpoint. Every definitive answer is a 200 (not_found included, as
  // `ok: false`), so Cloud Tasks retries only what may succeed later: 503s.
  app.post(triggerTaskPath, cloudTasksOnly(deps.triggerVerifier), express.json({ limit: '8kb' }), async (req, res) => {
    const parsed = leadRequestSchema.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error);
    const result = await triggerLead(
      deps,
      parsed.data,
      req.log.child({ task: req.get('x-cloudtasks-taskname'), retryCount: Number(req.get('x-cloudtasks-taskretrycount') ?? 0) || 0 }),
    );
    res.set('Cache-Control', 'no-store').json(result);
  });

  return finishApp(app, { [leadPath]: ['POST', 'OPTIONS'], [taskPath]: ['POST'], [triggerTaskPath]: ['POST'] });
}
