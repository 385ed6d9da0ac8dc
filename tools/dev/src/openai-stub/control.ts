/**
 * `/__stub/*`: control endpoints for manual dev use (curl), mirroring the programmatic API.
 *
 *   GET    /__stub/health              {"ok": true, "routes": [...]}
 *   GET    /__stub/faults              {"data": [ActiveFault...]}
 *   POST   /__stub/faults              FaultSpec or [FaultSpec...] -> 201 {"data": [ActiveFault...]}
 *                                       (kinds: status, delay, malformed, hang, reset, and for
 *                                       stream: true requests stream_error, slow_first_token,
 *                                       slow_stream; see faults.ts)
 *   DELETE /__stub/faults              204
 *   GET    /__stub/requests            {"data": [RecordedRequest...]}
 *   DELETE /__stub/requests            204
 *   GET    /__stub/summaries           {"data": [{thread_id, summary}...]}
 *   DELETE /__stub/summaries           204 (the fixtures' included)
 *   GET    /__stub/summaries/{id}      {thread_id, summary}
 *   PUT    /__stub/summaries/{id}      {...lead-summary fields} -> {thread_id, summary}; 400 invalid_summary
 *   DELETE /__stub/summaries/{id}      204
 *
 * A pinned summary's fields are what `POST /v1/responses` returns verbatim for a lead-summary
 * request whose input mentions the thread id (see `summaries.ts`).
 */
import express from 'express';
import type { Router } from 'express';
import { FaultSpecError, type FaultRegistry, type FaultSpec } from './faults.js';
import { OpenAIHttpError, notFound } from './errors.js';
import type { RequestLog } from './recorder.js';
import { SummaryInputError, type SummaryStore } from './summaries.js';

export interface ControlDeps {
  readonly faults: FaultRegistry;
  readonly requests: RequestLog;
  readonly routes: readonly string[];
  readonly summaries: SummaryStore;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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

  router.get('/summaries', (_req, res) => {
    res.json({ data: deps.summaries.list().map(({ threadId, summary }) => ({ thread_id: threadId, summary })) });
  });

  router.delete('/summaries', (_req, res) => {
    deps.summaries.clear();
    res.status(204).end();
  });

  router.get('/summaries/:id', (req, res) => {
    const summary = deps.summaries.get(req.params.id);
    if (!summary) throw notFound(`No summary pinned for thread '${req.params.id}'.`, 'thread_id');
    res.json({ thread_id: req.params.id, summary });
  });

  router.put('/summaries/:id', (req, res) => {
    const body: unknown = req.body;
    if (!isRecord(body)) {
      throw new OpenAIHttpError(400, {
        message: 'Expected a JSON object of lead-summary fields, e.g. {"handoff_ready": false}.',
        code: 'invalid_summary',
      });
    }
    try {
      res.json({ thread_id: req.params.id, summary: deps.summaries.set(req.params.id, body) });
    } catch (err) {
      if (!(err instanceof SummaryInputError)) throw err;
      throw new OpenAIHttpError(400, { message: err.message, code: 'invalid_summary' });
    }
  });

  router.delete('/summaries/:id', (req, res) => {
    if (!deps.summaries.delete(req.params.id)) {
      throw notFound(`No summary pinned for thread '${req.params.id}'.`, 'thread_id');
    }
    res.status(204).end();
  });

  router.use((req, _res, next) => {
    next(notFound(`Unknown stub control endpoint (${req.method} ${req.baseUrl}${req.path}).`));
  });

  return router;
}
