/**
 * Fault injection for the local SES: a FIFO of faults, each for the SES v1 Query actions
 * (`POST /` with `Action=SendEmail` / `SendRawEmail`) it matches. A matching request consumes the
 * first active fault, which decides how the local SES misbehaves:
 *
 * - `throttle`: 400 `Throttling` "Maximum sending rate exceeded." (nothing stored), as SES answers
 *   over its sending rate;
 * - `status`: an SES error response with that HTTP status (default code `InternalFailure` for
 *   5xx, `MessageRejected` for 4xx; nothing stored);
 * - `reply_lost`: the email is accepted and stored, then the socket is destroyed without an answer
 *   (the client cannot tell whether SES took it);
 * - `reset`: the socket is destroyed as soon as the request is read, nothing stored (just as
 *   ambiguous for the client).
 *
 * `subjectContains` scopes a fault to the emails whose subject contains it (e.g. a thread id), so
 * tests sharing one local SES do not consume each other's faults.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

const times = z.union([z.literal('always'), z.number().int().positive()]).default(1);

const base = {
  /** Which Query action the fault applies to; default both sending actions. */
  action: z.enum(['SendEmail', 'SendRawEmail', '*']).default('*'),
  /** Only emails whose subject (raw mail: whose MIME text) contains this string. */
  subjectContains: z.string().min(1).optional(),
  /** How many matching requests the fault applies to: default 1; `'always'` until cleared. */
  times,
};

const sesFaultSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('throttle') }),
  z.strictObject({
    ...base,
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    /** SES error code; default `InternalFailure` (5xx) or `MessageRejected` (4xx). */
    code: z.string().min(1).optional(),
    message: z.string().min(1).optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('reply_lost') }),
  z.strictObject({ ...base, kind: z.literal('reset') }),
]);

/** What you pass to `POST /__ses/faults` (one or an array) or `LocalSes.faults.inject`. */
export type SesFaultSpec = z.input<typeof sesFaultSpecSchema>;
export type SesFaultKind = SesFaultSpec['kind'];

/** A registered fault; `remaining` counts down as requests consume it. */
export type ActiveSesFault = z.output<typeof sesFaultSpecSchema> & { id: string; remaining: number | 'always' };

/** What the fault layer knows of a sending request. */
export interface SesRequestFacts {
  action: string;
  /** The subject (SendEmail) or the decoded raw message (SendRawEmail). */
  subjectText: string;
}

export class SesFaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SesFaultSpecError';
  }
}

export class SesFaultRegistry {
  #faults: ActiveSesFault[] = [];

  /** Registers all the specs or none (one bad spec throws `SesFaultSpecError` first). */
  injectAll(specs: readonly unknown[]): ActiveSesFault[] {
    const parsed = specs.map((spec) => {
      const result = sesFaultSpecSchema.safeParse(spec);
      if (!result.success) throw new SesFaultSpecError(`Invalid SES fault: ${z.prettifyError(result.error)}`);
      return result.data;
    });
    const added = parsed.map((fault): ActiveSesFault => ({ ...fault, id: `sesfault_${randomUUID()}`, remaining: fault.times }));
    this.#faults.push(...added);
    return added.map((fault) => ({ ...fault }));
  }

  inject(spec: SesFaultSpec): ActiveSesFault {
    const [fault] = this.injectAll([spec]);
    if (!fault) throw new SesFaultSpecError('Invalid SES fault: nothing registered.');
    return fault;
  }

  /** Consumes one use of the first fault matching the request, if any. */
  take(request: SesRequestFacts): ActiveSesFault | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (fault.action === '*' || fault.action === request.action) &&
        (fault.subjectContains === undefined || request.subjectText.includes(fault.subjectContains)),
    );
    const fault = this.#faults[index];
    if (!fault) return undefined;
    if (fault.remaining !== 'always') {
      fault.remaining -= 1;
      if (fault.remaining <= 0) this.#faults.splice(index, 1);
    }
    return { ...fault };
  }

  list(): ActiveSesFault[] {
    return this.#faults.map((fault) => ({ ...fault }));
  }

  clear(): void {
    this.#faults = [];
  }
}
