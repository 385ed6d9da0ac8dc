/**
 * Conversation fixtures: realistic ChatKit threads, one JSON file each in
 * `tools/dev/fixtures/conversations/<name>.json`, loaded by the stub at start (option `fixtures`)
 * and usable by any test that needs a transcript with known answers:
 *
 *   {
 *     "thread": { ...ChatKitThread, "id": "cthr_fixture_<name>" },
 *     "items": [ ...chatkit.thread_item, oldest first ],
 *     "expect": {
 *       "emails": ["maria@example.com"],     // what a correct extractor finds in CUSTOMER messages,
 *       "phones": ["+14085550187"],          //   E.164, in order of first mention, shop's own excluded
 *       "handoffReady": true,                // a contact AND a described need
 *       "language": "es",                    // BCP 47 of the customer's language
 *       "notes": "why this fixture exists",
 *       "missingInfo"?: ["phone or email"],  // when not ready
 *       "customerName"?: "María"
 *     },
 *     "summary"?: { ...LeadSummary fields that POST /v1/responses returns verbatim for this thread }
 *   }
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { leadSummaryOverridesSchema } from './lead-summary.js';
import { threadItemSchema, threadSchema } from './threads.js';

/** `tools/dev/fixtures/conversations` (the same from `src/` and from the built `dist/`). */
export const DEFAULT_FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/conversations/', import.meta.url));

export const fixtureExpectSchema = z.strictObject({
  emails: z.array(z.email()),
  phones: z.array(z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected E.164, e.g. +14085550187')),
  handoffReady: z.boolean(),
  language: z.string().regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 tag such as "es"'),
  notes: z.string().min(1),
  missingInfo: z.array(z.string()).optional(),
  customerName: z.string().nullable().optional(),
});

export const conversationFixtureSchema = z
  .strictObject({
    thread: threadSchema,
    items: z.array(threadItemSchema).min(1),
    expect: fixtureExpectSchema,
    summary: leadSummaryOverridesSchema.optional(),
  })
  .superRefine((fixture, ctx) => {
    const seen = new Set<string>();
    let previous = fixture.thread.created_at;
    fixture.items.forEach((item, index) => {
      if (item.thread_id !== fixture.thread.id) {
        ctx.addIssue({ code: 'custom', path: ['items', index, 'thread_id'], message: `must be '${fixture.thread.id}'` });
      }
      if (seen.has(item.id)) {
        ctx.addIssue({ code: 'custom', path: ['items', index, 'id'], message: `duplicate item id '${item.id}'` });
      }
      seen.add(item.id);
      if (item.created_at < previous) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', index, 'created_at'],
          message: 'items must be oldest first, not before the thread',
        });
      }
      previous = item.created_at;
    });
    if (fixture.expect.handoffReady && fixture.expect.emails.length + fixture.expect.phones.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['expect', 'handoffReady'], message: 'a ready lead needs a contact' });
    }
  });

export type ConversationFixtureFile = z.output<typeof conversationFixtureSchema>;

export interface ConversationFixture extends ConversationFixtureFile {
  /** The file name without `.json`; the thread id is `cthr_fixture_<name>`. */
  name: string;
  /** Absolute path of the file. */
  file: string;
}

export class FixtureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FixtureError';
  }
}

/** Validates one parsed fixture file; throws `FixtureError` naming the file and the problem. */
export function parseConversationFixture(json: unknown, file: string): ConversationFixture {
  const name = path.basename(file, '.json');
  const parsed = conversationFixtureSchema.safeParse(json);
  if (!parsed.success) {
    throw new FixtureError(`Invalid conversation fixture ${file}:\n${z.prettifyError(parsed.error)}`);
  }
  if (parsed.data.thread.id !== `cthr_fixture_${name}`) {
    throw new FixtureError(
      `Invalid conversation fixture ${file}: thread.id must be 'cthr_fixture_${name}', got '${parsed.data.thread.id}'.`,
    );
  }
  return { ...parsed.data, name, file };
}

/** Every `*.json` in `dir`, validated, sorted by name. */
export async function loadConversationFixtures(dir: string = DEFAULT_FIXTURES_DIR): Promise<ConversationFixture[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (f) => {
      const file = path.join(dir, f);
      let json: unknown;
      try {
        json = JSON.parse(await readFile(file, 'utf8'));
      } catch (err) {
        throw new FixtureError(`Invalid conversation fixture ${file}: ${err instanceof Error ? err.message : String(err)}`);
      }
      return parseConversationFixture(json, file);
    }),
  );
}
