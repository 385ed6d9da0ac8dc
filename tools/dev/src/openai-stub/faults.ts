/**
 * Fault injection: a FIFO of faults per route. A request to a route consumes the first active fault
 * whose `route` names that route (or `*`), and the fault decides how the stub misbehaves.
 *
 * `status`, `delay`, `malformed`, `hang` and `reset` act before any answer, so they apply to
 * streaming requests too (a 429 arrives before the stream starts, as with the real API). The
 * stream faults (`stream_error`, `slow_first_token`, `slow_stream`) shape a `stream: true`
 * answer; only streaming requests consume them (a non-streaming request leaves them queued).
 */
import { z } from 'zod';
import { newFaultId } from './ids.js';

/** Matches every route. */
export const ANY_ROUTE = '*';

const times = z
  .union([z.literal('always'), z.literal(Infinity), z.number().int().positive()])
  .default(1)
  .transform((t): number | 'always' => (t === Infinity ? 'always' : t));

const base = {
  /** `"METHOD /v1/path/{param}"` as listed by `OpenAIStub.routes`, or `*` for every route. */
  route: z.string().trim().min(1),
  /** How many requests the fault applies to: default 1; `'always'` (or `Infinity`) until cleared. */
  times,
};

export const faultSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    ...base,
    kind: z.literal('status'),
    status: z.number().int().min(200).max(599),
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.string().nullable().optional(),
    param: z.string().nullable().optional(),
    /** `Retry-After` header, in seconds (or an HTTP date). */
    retryAfter: z.union([z.number().nonnegative(), z.string().min(1)]).optional(),
    /** `retry-after-ms` header, which the openai SDK prefers over `Retry-After`. */
    retryAfterMs: z.number().nonnegative().optional(),
    /** Extra response headers, e.g. `{"x-should-retry": "false"}`. */
    headers: z.record(z.string(), z.string()).optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('delay'),
    /** Milliseconds to wait before answering normally. */
    ms: z.number().int().nonnegative(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('malformed'),
    /** The 200 body; default: a truncated JSON object. */
    body: z.string().optional(),
    contentType: z.string().min(1).default('application/json'),
  }),
  z.strictObject({ ...base, kind: z.literal('hang') }),
  z.strictObject({ ...base, kind: z.literal('reset') }),
  z.strictObject({
    ...base,
    kind: z.literal('stream_error'),
    /** How many `response.output_text.delta` events are sent before the failure (default 1; capped at the answer's). */
    after: z.number().int().nonnegative().default(1),
    /**
     * `error_event` (default): an `error` SSE event (nested `error` object, as the API sends it), then the stream ends;
     * `response_failed`: a `response.failed` event whose response has `status: "failed"` and `error`;
     * `drop`: the socket is destroyed mid-stream (no terminal event).
     */
    mode: z.enum(['error_event', 'response_failed', 'drop']).default('error_event'),
    /** The error's message; default: the API's generic server_error message. */
    message: z.string().min(1).optional(),
    /** The error's code; default `server_error`. */
    code: z.string().min(1).nullable().optional(),
    /** `error.type` of an `error_event`; default `server_error`. */
    errorType: z.string().min(1).optional(),
    /** Milliseconds between deltas (and before the failure). */
    deltaDelayMs: z.number().int().nonnegative().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('slow_first_token'),
    /** Milliseconds between `response.in_progress` (sent at once, after `response.created`) and the first delta. */
    ms: z.number().int().nonnegative(),
    /** Milliseconds between deltas. */
    deltaDelayMs: z.number().int().nonnegative().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('slow_stream'),
    /** Milliseconds between deltas. */
    deltaDelayMs: z.number().int().nonnegative(),
  }),
]);

/** Fault kinds that shape a streamed answer; only `stream: true` requests consume them. */
export const STREAM_FAULT_KINDS: ReadonlySet<string> = new Set(['stream_error', 'slow_first_token', 'slow_stream']);

/** What you pass to `injectFault` or `POST /__stub/faults`. */
export type FaultSpec = z.input<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];

/** A registered fault; `remaining` counts down as requests consume it. */
export type ActiveFault = z.output<typeof faultSpecSchema> & { id: string; remaining: number | 'always' };

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

/** Normalises `post  /v1/x` to `POST /v1/x`. */
function normaliseRoute(route: string): string {
  if (route === ANY_ROUTE) return route;
  const [method = '', ...rest] = route.split(/\s+/);
  return `${method.toUpperCase()} ${rest.join(' ')}`;
}

export class FaultRegistry {
  readonly #routes: ReadonlySet<string>;
  #faults: ActiveFault[] = [];

  constructor(routes: Iterable<string>) {
    this.#routes = new Set(routes);
  }

  /** Validates and registers a fault. Throws `FaultSpecError` for a bad spec or an unknown route. */
  inject(spec: FaultSpec): ActiveFault {
    const [fault] = this.injectAll([spec]);
    if (!fault) throw new FaultSpecError('Invalid fault: nothing registered.');
    return fault;
  }

  /** Registers several faults, all or none: one bad spec throws before any is registered. */
  injectAll(specs: readonly FaultSpec[]): ActiveFault[] {
    const valid = specs.map((spec) => this.#validate(spec));
    const added = valid.map((parsed): ActiveFault => ({ ...parsed, id: newFaultId(), remaining: parsed.times }));
    this.#faults.push(...added);
    return added.map((f) => ({ ...f }));
  }

  #validate(spec: FaultSpec): z.output<typeof faultSpecSchema> {
    const parsed = faultSpecSchema.safeParse(spec);
    if (!parsed.success) throw new FaultSpecError(`Invalid fault: ${z.prettifyError(parsed.error)}`);
    const route = normaliseRoute(parsed.data.route);
    if (route !== ANY_ROUTE && !this.#routes.has(route)) {
      throw new FaultSpecError(
        `Invalid fault: unknown route '${parsed.data.route}'. Known routes: ${[...this.#routes].join(', ')}, or '${ANY_ROUTE}'.`,
      );
    }
    return { ...parsed.data, route };
  }

  /**
   * Consumes one use of the first active fault for `route`, if any. Stream faults are skipped
   * (and stay queued) unless the request is a streaming one.
   */
  take(route: string, request: { streaming?: boolean } = {}): ActiveFault | undefined {
    const index = this.#faults.findIndex(
      (f) => (f.route === route || f.route === ANY_ROUTE) && (request.streaming === true || !STREAM_FAULT_KINDS.has(f.kind)),
    );
    const fault = this.#faults[index];
    if (!fault) return undefined;
    if (fault.remaining !== 'always') {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#faults.splice(index, 1);
    }
    return { ...fault };
  }

  list(): ActiveFault[] {
    return this.#faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.#faults = [];
  }
}
