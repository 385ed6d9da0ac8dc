/**
 * Lead summaries pinned per thread id. When `POST /v1/responses` is asked for the lead summary and
 * its input mentions a thread id (`cthr_…`; the lead service's prompt starts with
 * `Thread: <id>`), the fields pinned for that id are returned verbatim, field by field over the
 * heuristics of `lead-summary.ts`. Pinned at start from the conversation fixtures' `summary`
 * (option `fixtures`), from code (`stub.summaries`) and over HTTP (`/__stub/summaries`):
 *
 *   stub.summaries.set('cthr_test_1', { handoff_ready: false, handoff_reason: 'Pinned by the test.' });
 *
 * The conversations themselves live in the product's thread store (seed them with
 * `tools/dev/src/fixtures/`); the stand-in only sees the transcript the caller sends.
 */
import { z } from 'zod';
import { leadSummaryOverridesSchema, type LeadSummaryOverrides } from './lead-summary.js';

/** The ids the stand-in recognises in a request's input (the same pattern `lead-summary.ts` scans for). */
const THREAD_ID_PATTERN = /^cthr_[A-Za-z0-9_-]{1,128}$/;

export class SummaryInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SummaryInputError';
  }
}

export interface PinnedSummary {
  threadId: string;
  summary: LeadSummaryOverrides;
}

/** The programmatic API behind `stub.summaries`. Everything returned is a copy. */
export interface SummariesApi {
  /**
   * Pins lead-summary fields for a thread id, replacing what was pinned for it. Throws
   * `SummaryInputError` for an id that is not `cthr_…` or a field the lead summary does not have.
   */
  set(threadId: string, summary: LeadSummaryOverrides): LeadSummaryOverrides;
  get(threadId: string): LeadSummaryOverrides | undefined;
  /** Every pinned summary, in the order they were first pinned. */
  list(): PinnedSummary[];
  delete(threadId: string): boolean;
  /** Drops every pinned summary, the fixtures' included. */
  clear(): void;
}

export class SummaryStore implements SummariesApi {
  readonly #byThread = new Map<string, LeadSummaryOverrides>();

  set(threadId: string, summary: LeadSummaryOverrides): LeadSummaryOverrides {
    if (typeof threadId !== 'string' || !THREAD_ID_PATTERN.test(threadId)) {
      throw new SummaryInputError(`Invalid thread id '${String(threadId)}': expected cthr_ followed by 1-128 of [A-Za-z0-9_-].`);
    }
    const parsed = leadSummaryOverridesSchema.safeParse(summary);
    if (!parsed.success) {
      throw new SummaryInputError(`Invalid lead summary for '${threadId}':\n${z.prettifyError(parsed.error)}`);
    }
    this.#byThread.set(threadId, parsed.data);
    return structuredClone(parsed.data);
  }

  get(threadId: string): LeadSummaryOverrides | undefined {
    const summary = this.#byThread.get(threadId);
    return summary ? structuredClone(summary) : undefined;
  }

  list(): PinnedSummary[] {
    return [...this.#byThread].map(([threadId, summary]) => ({ threadId, summary: structuredClone(summary) }));
  }

  delete(threadId: string): boolean {
    return this.#byThread.delete(threadId);
  }

  clear(): void {
    this.#byThread.clear();
  }

  /** The summary pinned for the first of `threadIds` that has one (no copy: for route handlers). */
  firstPinned(threadIds: readonly string[]): Readonly<LeadSummaryOverrides> | undefined {
    for (const id of threadIds) {
      const summary = this.#byThread.get(id);
      if (summary) return summary;
    }
    return undefined;
  }
}
