/**
 * `/__stub/*`: control endpoints for manual dev use (curl), mirroring the programmatic API.
 *
 *   GET    /__stub/health     {"ok": true, "routes": [...]}
 *   GET    /__stub/faults     {"data": [ActiveFault...]}
 *   POST   /__stub/faults     FaultSpec or [FaultSpec...] -> 201 {"data": [ActiveFault...]}
 *                              (kinds: status, delay, malformed, hang, reset, and for stream: true
 *                              requests stream_error, slow_first_token, slow_stream; see faults.ts)
 *   DELETE /__stub/faults     204
 *   GET    /__stub/requests   {"data": [RecordedRequest...]}
 *   DELETE /__stub/requests   204
 *   GET    /__stub/threads                {"data": [{thread, item_count, has_summary}...]}
 *   DELETE /__stub/threads                204 (fixtures included)
 *   GET    /__stub/threads/{id}           {thread, items, summary?}
 *   PUT    /__stub/threads/{id}           {thread?, items, summary?} -> {thread, items, summary?}
 *   POST   /__stub/threads/{id}/items     {items: [...]} -> 201 {"data": [ThreadItem...]}
 *   DELETE /__stub/threads/{id}           204
 *
 * Items sent to PUT/POST may be drafts: id, object, thread_id, created_at, attachments and
 * annotations are filled in, e.g. {"type": "chatkit.user_message", "content": [{"type": "input_text", "text": "hi"}]}.
 */
import express from 'express';
import type { Router } from 'express';
import { FaultSpecError, type FaultRegistry, type FaultSpec } from './faults.js';
import { OpenAIHttpError, notFound } from './errors.js';
import type { RequestLog } from './recorder.js';
import { ThreadInputError, type ThreadInput, type ThreadItemDraft, type ThreadStore } from './threads.js';

export interface ControlDeps {
  readonly faults: FaultRegistry;
  readonly requests: RequestLog;
  readonly routes: readonly string[];
  readonly threads: ThreadStore;
}

function asThreadError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ThreadInputError)) throw err;
    throw new OpenAIHttpError(400, { message: err.message, code: 'invalid_thread' });
  }
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

  router.get('/threads', (_req, res) => {
    const data = deps.threads.list().map((t) => ({
      thread: t.thread,
      item_count: t.items.length,
      has_summary: t.summary !== undefined,
    }));
    res.json({ data });
  });

  router.delete('/threads', (_req, res) => {
    deps.threads.clear();
    res.status(204).end();
  });

  router.get('/threads/:id', (req, res) => {
    const stored = deps.threads.get(req.params.id);
    if (!stored) throw notFound(`No thread found with id '${req.params.id}'.`, 'thread_id');
    res.json(stored);
  });

  router.put('/threads/:id', (req, res) => {
    const body: unknown = req.body;
    if (!isRecord(body)) throw new OpenAIHttpError(400, { message: 'Expected a JSON object {thread?, items, summary?}.' });
    const thread = isRecord(body['thread']) ? body['thread'] : {};
    if (thread['id'] !== undefined && thread['id'] !== req.params.id) {
      throw new OpenAIHttpError(400, {
        message: `thread.id '${String(thread['id'])}' does not match the path id '${req.params.id}'.`,
        code: 'invalid_thread',
      });
    }
    const input = { ...body, thread: { ...thread, id: req.params.id } } as ThreadInput;
    res.json(asThreadError(() => deps.threads.put(input)));
  });

  router.post('/threads/:id/items', (req, res) => {
    const body: unknown = req.body;
    const items = isRecord(body) ? body['items'] : body;
    if (!Array.isArray(items)) throw new OpenAIHttpError(400, { message: 'Expected {"items": [...]}.' });
    if (!deps.threads.has(req.params.id)) throw notFound(`No thread found with id '${req.params.id}'.`, 'thread_id');
    const added = asThreadError(() => deps.threads.appendItems(req.params.id, items as ThreadItemDraft[]));
    res.status(201).json({ data: added });
  });

  router.delete('/threads/:id', (req, res) => {
    if (!deps.threads.delete(req.params.id)) throw notFound(`No thread found with id '${req.params.id}'.`, 'thread_id');
    res.status(204).end();
  });

  router.use((req, _res, next) => {
    next(notFound(`Unknown stub control endpoint (${req.method} ${req.baseUrl}${req.path}).`));
  });

  return router;
}
