import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FIXTURES_DIR,
  conversationFixtureSchema,
  loadConversationFixtures,
  parseConversationFixture,
} from '../src/openai-stub/fixtures.js';
import { extractContact } from '../src/openai-stub/lead-summary.js';
import { CHATKIT_ITEM_TYPES } from './support/openai-stub-under-test.js';

const files = (await readdir(DEFAULT_FIXTURES_DIR)).filter((f) => f.endsWith('.json')).sort();
const fixtures = await loadConversationFixtures();

const customerTexts = (f: (typeof fixtures)[number]): string[] =>
  f.items.flatMap((i) => (i.type === 'chatkit.user_message' ? [i.content.map((c) => c.text).join('\n')] : []));
/** Every human-readable string in a fixture (message texts, widget/task/tool payloads, title). */
const allTexts = (f: (typeof fixtures)[number]): string =>
  [
    f.thread.title ?? '',
    ...f.items.map((i) => {
      const { id: _id, created_at: _created, thread_id: _thread, ...rest } = i;
      return JSON.stringify(rest);
    }),
  ].join('\n');

describe('conversation fixtures', () => {
  it('when the fixture directory is read, then it holds at least 20 JSON fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(fixtures.map((f) => `${f.name}.json`)).toEqual(files);
  });

  it.each(files)('when %s is parsed, then it validates against the fixture schema', async (file) => {
    const json: unknown = JSON.parse(await readFile(path.join(DEFAULT_FIXTURES_DIR, file), 'utf8'));
    const result = conversationFixtureSchema.safeParse(json);
    expect(result.success, result.error?.message).toBe(true);
    expect(result.data?.thread.id).toBe(`cthr_fixture_${path.basename(file, '.json')}`);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    "when the reference extractor reads %s's customer messages, then it finds exactly expect.emails and expect.phones",
    (_name, f) => {
      expect(extractContact(customerTexts(f))).toEqual({ emails: f.expect.emails, phones: f.expect.phones });
    },
  );

  it('when fixtures use contact details, then phones are fictional 555-01xx and emails use example domains', () => {
    for (const f of fixtures) {
      const text = allTexts(f);
      for (const phone of text.match(/(?<!\d)\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?!\d)/g) ?? []) {
        expect(phone, f.name).toMatch(/555\D?01\d\d$/);
      }
      for (const phone of f.expect.phones) expect(phone, f.name).toMatch(/^\+1\d{3}55501\d\d$/);
      for (const email of text.match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []) {
        expect(email, f.name).toMatch(/@(?:[\w-]+\.)*example(?:\.com|\.org|\.fr)?$|@rosewood-upholstery\.example$/i);
      }
    }
  });

  it('when the fixtures are taken together, then they cover the cases the lead service must handle', () => {
    const languages = new Set(fixtures.map((f) => f.expect.language));
    for (const lang of ['en', 'es', 'vi', 'zh', 'fr']) expect(languages, lang).toContain(lang);

    const types = new Set(fixtures.flatMap((f) => f.items.map((i) => i.type)));
    expect(types).toEqual(
      CHATKIT_ITEM_TYPES,
    );
    expect(fixtures.some((f) => f.items.length > 45)).toBe(true);
    expect(fixtures.some((f) => f.expect.emails.length > 0 && f.expect.phones.length === 0 && f.expect.handoffReady)).toBe(true);
    expect(fixtures.some((f) => f.expect.phones.length > 0 && f.expect.emails.length === 0 && f.expect.handoffReady)).toBe(true);
    expect(fixtures.some((f) => f.expect.emails.length + f.expect.phones.length === 0)).toBe(true);
    expect(fixtures.some((f) => !f.expect.handoffReady && f.expect.phones.length > 0)).toBe(true);
    expect(fixtures.filter((f) => /555\D{0,2}0142/.test(customerTexts(f).join('\n'))).length).toBeGreaterThanOrEqual(2);
    expect(
      fixtures.some((f) =>
        f.items.some((i) => i.type === 'chatkit.user_message' && i.attachments.some((a) => a.type === 'image' && a.preview_url)),
      ),
    ).toBe(true);
    expect(fixtures.some((f) => customerTexts(f).some((t) => /<script>/i.test(t)))).toBe(true);
    expect(fixtures.some((f) => customerTexts(f).some((t) => /\r\nBcc:/i.test(t)))).toBe(true);
    expect(fixtures.some((f) => f.summary !== undefined)).toBe(true);
  });

  it('when a fixture breaks the format, then parseConversationFixture names the file and the problem', () => {
    const [first] = fixtures;
    if (!first) throw new Error('no fixtures');
    const { name: _name, file, ...json } = first;
    expect(() => parseConversationFixture(json, path.join(path.dirname(file), 'renamed.json'))).toThrow(
      /thread\.id must be 'cthr_fixture_renamed'/,
    );
    const reversed = { ...json, items: [...json.items].reverse() };
    expect(() => parseConversationFixture(reversed, file)).toThrow(/oldest first/);
    const foreign = { ...json, items: json.items.map((i) => ({ ...i, thread_id: 'cthr_elsewhere' })) };
    expect(() => parseConversationFixture(foreign, file)).toThrow(/thread_id/);
    const badPhone = { ...json, expect: { ...json.expect, phones: ['408-555-0100'] } };
    expect(() => parseConversationFixture(badPhone, file)).toThrow(/E\.164/);
  });
});
