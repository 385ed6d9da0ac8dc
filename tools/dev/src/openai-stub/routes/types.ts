/**
 * A route group is a list of `RouteDef`s: a method, a path template and a handler that turns a
 * parsed request into a JSON result (or throws `OpenAIHttpError`). The server adds everything
 * routes share: request ids, recording, faults, auth and JSON parsing.
 */
import type { StubState } from '../state.js';
import type { StreamSource } from '../streaming.js';

type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteRequest {
  readonly method: HttpMethod;
  readonly path: string;
  /** Path parameters named by the template's `{name}` segments. */
  readonly params: Readonly<Record<string, string>>;
  /** Query parameters (first value when repeated). */
  readonly query: Readonly<Record<string, string>>;
  /** Lowercased request headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; `undefined` when the request had none. */
  readonly body: unknown;
}

/** A JSON answer, or (for `stream: true`) a response the server streams as server-sent events. */
type RouteResult =
  | { status?: number; headers?: Record<string, string>; json: unknown; stream?: undefined }
  | { headers?: Record<string, string>; stream: StreamSource };

export interface RouteContext {
  readonly state: StubState;
  /** Current time in epoch milliseconds (injectable for tests). */
  now(): number;
}

export interface RouteDef {
  readonly method: HttpMethod;
  /** Path template, e.g. `/v1/responses/{response_id}`. */
  readonly path: string;
  handle(req: RouteRequest, ctx: RouteContext): RouteResult | Promise<RouteResult>;
}

/** The key faults and recordings use for a route: `"POST /v1/responses"`. */
export function routeKey(def: Pick<RouteDef, 'method' | 'path'>): string {
  return `${def.method} ${def.path}`;
}
