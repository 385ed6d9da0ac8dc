/**
 * A local stand-in for the OpenAI API, faithful enough that the real `openai` SDK (and
 * `@openai/agents`) talk to it unchanged (`baseURL: stub.baseURL`). Serves `POST /v1/responses`:
 * structured outputs with a deterministic lead summary, plain text from the shop intake assistant,
 * `stream: true` as server-sent events; route groups live in `routes/`, streaming in
 * `streaming.ts`; see README.md. Anything else (the retired ChatKit routes included) answers the
 * real API's 404 `Invalid URL`. Lead summaries can be pinned per thread id (`summaries.ts`): from
 * the conversation fixtures at start, from code (`stub.summaries`) or over HTTP. Every request is
 * recorded, and faults can be injected per route from code or over HTTP (`/__stub/*`, see
 * `control.ts`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { DEFAULT_FIXTURES_DIR, loadConversationFixtures } from '../fixtures/index.js';
import { controlRouter } from './control.js';
import { DEFAULT_SHOP_CONTACT, type ShopContact } from './lead-summary.js';
import { OpenAIHttpError, defaultErrorCode, defaultErrorMessage, defaultErrorType, invalidRequest, invalidUrl } from './errors.js';
import { FaultRegistry, STREAM_FAULT_KINDS, type ActiveFault, type FaultSpec } from './faults.js';
import { newRequestId, newResponseId } from './ids.js';
import { RequestLog, recordableHeaders, type RecordedRequest } from './recorder.js';
import { allRoutes } from './routes/index.js';
import { routeKey, type RouteContext, type RouteDef, type RouteRequest } from './routes/types.js';
import { createState } from './state.js';
import { planStream, writeStream, type StreamFault } from './streaming.js';
import type { SummariesApi } from './summaries.js';

export type { ActiveFault, FaultKind, FaultSpec } from './faults.js';
export type { StreamStep, WireErrorEvent, WireResponse, WireStreamEvent, WireTextDeltaEvent } from './streaming.js';
export {
  parseContextLines,
  shopAssistantReply,
  type AssistantLanguage,
  type AssistantStep,
  type ShopAssistantInput,
  type ShopAssistantReply,
} from './shop-assistant.js';
export type { OpenAIErrorBody } from './errors.js';
export type { RecordedRequest } from './recorder.js';
export { DEFAULT_SHOP_CONTACT, extractContact, type LeadSummary, type LeadSummaryOverrides, type ShopContact } from './lead-summary.js';
export { SummaryInputError, type PinnedSummary, type SummariesApi } from './summaries.js';

export interface OpenAIStubOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The only bearer key accepted. Default: any key starting with `sk-`. */
  apiKey?: string;
  /** Clock in epoch milliseconds, for `created_at`. Default `Date.now`. */
  now?: () => number;
  /** Receives one line per finished request (the CLI passes `console.log`). */
  log?: (line: string) => void;
  /**
   * Conversation fixtures whose `summary` is pinned at start (`stub.summaries`), read with the
   * fixtures module's loader (`tools/dev/src/fixtures/`): `'default'` (the default) is
   * `tools/dev/fixtures/conversations`, a string is another directory, `false` reads none.
   */
  fixtures?: 'default' | string | false;
  /** The shop's own phone/email, never taken for the customer's. Default: the example shop's. */
  shop?: ShopContact;
}

export interface OpenAIStub {
  /** e.g. `http://127.0.0.1:8788` */
  readonly url: string;
  /** `url + '/v1'`: the SDK's `baseURL`, or `OPENAI_BASE_URL`. */
  readonly baseURL: string;
  /** Route keys served, e.g. `POST /v1/responses`; what a fault's `route` names. */
  readonly routes: readonly string[];
  /** Snapshot of the requests received so far (control endpoints excluded), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Snapshot of the faults still active. */
  readonly faults: readonly ActiveFault[];
  /**
   * Lead summaries pinned per thread id (the fixtures' at start): `set(threadId, summary)`, get,
   * list, delete, clear. `POST /v1/responses` returns a pinned summary's fields verbatim when the
   * input mentions that thread id.
   */
  readonly summaries: SummariesApi;
  clearRequests(): void;
  /** Registers a fault; throws on an invalid spec or an unknown route. */
  injectFault(fault: FaultSpec): ActiveFault;
  clearFaults(): void;
  /** Stops listening and drops every open connection, hung requests included. Idempotent. */
  close(): Promise<void>;
}

const OPENAI_VERSION = '2020-10-01';
const BODY_LIMIT = '2mb';

interface RequestState {
  record: RecordedRequest;
  startedAt: number;
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'invalid' };
}

export async function startOpenAIStub(opts: OpenAIStubOptions = {}): Promise<OpenAIStub> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? Date.now;
  const log = opts.log;
  const state = createState(opts.shop ?? DEFAULT_SHOP_CONTACT);
  const fixtureDir = opts.fixtures === undefined || opts.fixtures === 'default' ? DEFAULT_FIXTURES_DIR : opts.fixtures;
  const fixtures = fixtureDir === false ? [] : await loadConversationFixtures(fixtureDir);
  for (const f of fixtures) if (f.summary) state.summaries.set(f.thread.id, f.summary);
  const requests = new RequestLog();
  const routeKeys = allRoutes.map(routeKey);
  const faults = new FaultRegistry(routeKeys);
  const perRequest = new WeakMap<IncomingMessage, RequestState>();
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const ctx: RouteContext = { state, now };

  const isAcceptedKey = (key: string): boolean =>
    opts.apiKey !== undefined ? key === opts.apiKey : key.startsWith('sk-') && key.length > 3;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const sleeper = {
        timer: setTimeout(() => sleeper.wake(), ms),
        wake: () => {
          clearTimeout(sleeper.timer);
          sleepers.delete(sleeper);
          resolve();
        },
      };
      sleepers.add(sleeper);
    });

  /** Applies a fault; resolves true when the request should then be answered normally. */
  async function applyFault(fault: ActiveFault, req: Request, res: Response): Promise<boolean> {
    switch (fault.kind) {
      case 'status': {
        const headers: Record<string, string> = { ...fault.headers };
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
        throw new OpenAIHttpError(fault.status, {
          message:
            fault.message ??
            (fault.status === 429 && typeof fault.retryAfter === 'number'
              ? `Rate limit reached for requests. Please try again in ${fault.retryAfter}s.`
              : defaultErrorMessage(fault.status)),
          type: fault.type ?? defaultErrorType(fault.status),
          param: fault.param ?? null,
          code: fault.code === undefined ? defaultErrorCode(fault.status) : fault.code,
          headers,
        });
      }
      case 'delay':
        await sleep(fault.ms);
        return !req.socket.destroyed;
      case 'malformed':
        res.status(200).setHeader('content-type', fault.contentType);
        res.end(fault.body ?? `{"id":"${newResponseId()}","object":"respo`);
        return false;
      case 'hang':
        // Never answer; close() drops the connection.
        return false;
      case 'reset':
        req.socket.resetAndDestroy();
        return false;
      case 'stream_error':
      case 'slow_first_token':
      case 'slow_stream':
        // Applied while streaming (see routeHandler).
        return true;
    }
  }

  function authenticate(req: Request): void {
    const header = req.headers.authorization;
    const key = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    if (!key) {
      throw new OpenAIHttpError(401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
    if (!isAcceptedKey(key)) {
      throw new OpenAIHttpError(401, {
        message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
    }
  }

  function routeHandler(def: RouteDef) {
    const key = routeKey(def);
    return async (req: Request, res: Response): Promise<void> => {
      const rs = perRequest.get(req);
      if (rs) rs.record.route = key;

      const streaming = isStreamingBody(rs?.body);
      const fault = faults.take(key, { streaming });
      if (fault) {
        if (rs) rs.record.fault = fault.kind;
        if (!(await applyFault(fault, req, res))) return;
      }

      authenticate(req);
      if (rs?.body.kind === 'invalid') {
        throw invalidRequest(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
          null,
          null,
        );
      }

      const routeReq: RouteRequest = {
        method: def.method,
        path: req.path,
        params: pathParams(req.params),
        query: firstValues(req.query),
        headers: recordableHeaders(req.headers),
        body: rs?.body.kind === 'json' ? rs.body.value : undefined,
      };
      const result = await def.handle(routeReq, ctx);
      if (result.stream) {
        for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
        const streamFault = fault && STREAM_FAULT_KINDS.has(fault.kind) ? (fault as StreamFault) : undefined;
        await writeStream(res, planStream(result.stream, streamFault), sleep);
        return;
      }
      res.status(result.status ?? 200);
      for (const [name, value] of Object.entries(result.headers ?? {})) res.setHeader(name, value);
      res.json(result.json);
    };
  }

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((_req, res, next) => {
    res.setHeader('x-request-id', newRequestId());
    res.setHeader('openai-version', OPENAI_VERSION);
    next();
  });

  app.use('/__stub', controlRouter({ faults, requests, routes: routeKeys, summaries: state.summaries }));

  // Record every API request before anything can reject it.
  app.use((req, res, next) => {
    const authorization = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    const rs: RequestState = {
      startedAt: performance.now(),
      body: { kind: 'none' },
      record: {
        id: String(res.getHeader('x-request-id')),
        time: new Date(now()).toISOString(),
        method: req.method,
        path: req.path,
        query: firstValues(req.query),
        route: null,
        headers: recordableHeaders(req.headers),
        authorized: authorization !== undefined && isAcceptedKey(authorization),
        body: undefined,
        rawBody: '',
        fault: null,
        status: null,
      },
    };
    perRequest.set(req, rs);
    requests.add(rs.record);
    res.on('close', () => {
      rs.record.status = res.writableFinished ? res.statusCode : null;
      const ms = Math.round(performance.now() - rs.startedAt);
      const outcome = rs.record.status === null ? 'no response' : String(rs.record.status);
      const fault = rs.record.fault ? ` [fault: ${rs.record.fault}]` : '';
      log?.(`${req.method} ${req.originalUrl} -> ${outcome} (${ms} ms) ${rs.record.id}${fault}`);
    });
    next();
  });

  app.use(express.text({ type: () => true, limit: BODY_LIMIT }));

  app.use((req, _res, next) => {
    const rs = perRequest.get(req);
    const raw: unknown = req.body;
    if (rs && typeof raw === 'string' && raw.length > 0) {
      rs.record.rawBody = raw;
      try {
        const value: unknown = JSON.parse(raw);
        rs.body = { kind: 'json', value };
        rs.record.body = value;
      } catch {
        rs.body = { kind: 'invalid' };
      }
    }
    next();
  });

  for (const def of allRoutes) {
    const path = def.path.replace(/\{(\w+)\}/g, ':$1');
    const handler = routeHandler(def);
    if (def.method === 'GET') app.get(path, handler);
    else if (def.method === 'POST') app.post(path, handler);
    else app.delete(path, handler);
  }

  app.use((req, _res, next) => {
    next(invalidUrl(req.method, req.path));
  });

  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const error = toOpenAIHttpError(err);
    if (error.status >= 500 && !(err instanceof OpenAIHttpError)) {
      log?.(`stub error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(error.status);
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.json(error.body);
  });

  const server = createServer(app);
  await listen(server, opts.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${displayHost(host)}:${port}`;

  let closing: Promise<void> | undefined;

  return {
    url,
    baseURL: `${url}/v1`,
    routes: routeKeys,
    get requests() {
      return requests.list();
    },
    get faults() {
      return faults.list();
    },
    summaries: summariesApi(state.summaries),
    clearRequests: () => requests.clear(),
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
        for (const sleeper of [...sleepers]) sleeper.wake();
      });
      return closing;
    },
  };
}

function isStreamingBody(body: RequestState['body'] | undefined): boolean {
  if (body?.kind !== 'json') return false;
  const value = body.value;
  return typeof value === 'object' && value !== null && (value as { stream?: unknown }).stream === true;
}

/** The public face of the store: only the `SummariesApi` methods, bound. */
function summariesApi(store: SummariesApi): SummariesApi {
  return {
    set: (threadId, summary) => store.set(threadId, summary),
    get: (threadId) => store.get(threadId),
    list: () => store.list(),
    delete: (threadId) => store.delete(threadId),
    clear: () => store.clear(),
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function displayHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function maskKey(key: string): string {
  if (key.length <= 8) return '*'.repeat(key.length);
  return `${key.slice(0, 3)}${'*'.repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}

function pathParams(params: Request['params']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) out[name] = Array.isArray(value) ? value.join('/') : value;
  return out;
}

function firstValues(query: Request['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') out[name] = first;
  }
  return out;
}

/** Body-parser and other http-errors carry `status` and `expose`; anything else is our bug: 500. */
function toOpenAIHttpError(err: unknown): OpenAIHttpError {
  if (err instanceof OpenAIHttpError) return err;
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') {
    const status = err.status;
    const expose = 'expose' in err && err.expose === true;
    const message = expose && err instanceof Error ? err.message : defaultErrorMessage(status);
    if (status >= 400 && status < 600) return new OpenAIHttpError(status, { message });
  }
  return new OpenAIHttpError(500, { message: defaultErrorMessage(500) });
}
