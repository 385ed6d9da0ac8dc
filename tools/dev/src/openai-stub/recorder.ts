/** The log of requests the stub received, for tests and for `GET /__stub/requests`. */
import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './faults.js';

export interface RecordedRequest {
  /** The `x-request-id` the stub answered with. */
  id: string;
  /** When the request arrived (ISO 8601). */
  time: string;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** The route key (`"POST /v1/responses"`) or null when no route matched. */
  route: string | null;
  /** Lowercased request headers, without `authorization`. */
  headers: Record<string, string>;
  /** Whether the `Authorization` header carried a key the stub accepts. */
  authorized: boolean;
  /** The parsed JSON body; `undefined` when there was none or it was not JSON (see `rawBody`). */
  body: unknown;
  rawBody: string;
  /** The fault applied to this request, if any. */
  fault: FaultKind | null;
  /** The status answered, or null while pending or when no response was sent (hang, reset, abort). */
  status: number | null;
}

export function recordableHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'authorization') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class RequestLog {
  #items: RecordedRequest[] = [];

  add(record: RecordedRequest): void {
    this.#items.push(record);
  }

  /** A snapshot: later changes to the log do not show in the returned array. */
  list(): RecordedRequest[] {
    return this.#items.map((r) => structuredClone(r));
  }

  clear(): void {
    this.#items = [];
  }
}
