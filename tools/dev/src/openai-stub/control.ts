/**
 * `/__stub/*`: control endpoints for manual dev use (curl), mirroring the programmatic API.
 *
 *   GET    /__stub/health     {"ok": true, "routes": [...]}
 *   GET    /__stub/faults     {"data": [ActiveFault...]}
 *   POST   /__stub/faults     FaultSpec or [FaultSpec...] -> 201 {"data": [ActiveFault...]}
 *   DELETE /__stub/faults     204
 *   GET    /__stub/requests   {"data": [RecordedRequest...]}
 *   DELETE /__stub/requests   204
 */
import express from 'express';
import type { Router } from 'express';
import { FaultSpecError, type FaultRegistry, type FaultSpec } from './faults.js';
import { OpenAIHttpError, notFound } from './errors.js';
import type { RequestLog } from './recorder.js';

export interface ControlDeps {
  readonly faults: FaultRegistry;
  readonly requests: RequestLog;
  readonly routes: readonly string[];
}

export function controlRouter(deps: ControlDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));

  router.get('/health', (_req, res) => {
    res.json({ ok: true, routes: deps.routes });
  });

  router.get('/faults', (_req, res) => {
    res.json({ data: deps.faults.list() });
  });

  router.post('/faults', (req, res) => {
    const body: unknown = req.body;
    const specs = (Array.isArray(body) ? body : [body]) as FaultSpec[];
    try {
      const registered = deps.faults.injectAll(specs);
      res.status(201).json({ data: registered });
    } catch (err) {
      if (!(err instanceof FaultSpecError)) throw err;
      throw new OpenAIHttpError(400, { message: err.message, code: 'invalid_fault' });
    }
  });

  router.delete('/faults', (_req, res) => {
    deps.faults.clear();
    res.status(204).end();
  });

  router.get('/requests', (_req, res) => {
    res.json({ data: deps.requests.list() });
  });

  router.delete('/requests', (_req, res) => {
    deps.requests.clear();
    res.status(204).end();
  });

  router.use((req, _res, next) => {
    next(notFound(`Unknown stub control endpoint (${req.method} ${req.baseUrl}${req.path}).`));
  });

  return router;
}
