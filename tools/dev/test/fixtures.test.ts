import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ThreadItem } from '@lead-intake/shared/chatkit';
import {
  DEFAULT_FIXTURES_DIR,
  HOSTED_EXPORTS_DIR,
  FixtureError,
  conversationFixtureSchema,
  fromHosted,
  loadConversationFixtures,
  loadHostedConversationFixtures,
  parseConversationFixture,
  toHostedFixture,
  type ConversationFixture,
} from '../src/fixtures/index.js';
import { extractContact } from '../src/openai-stub/lead-summary.js';

const files = (await readdir(DEFAULT_FIXTURES_DIR)).filter((f) => f.endsWith('.json')).sort();
const fixtures = await loadConversationFixtures();
const byName = (name: string): ConversationFixture => {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

const userMessages = (f: ConversationFixture) => f.items.flatMap((i) => (i.type === 'user_message' ? [i] : []));
/** What the customer wrote: typed text, plus what they quoted. */
const customerTexts = (f: ConversationFixture): string[] =>
  userMessages(f).map((i) => [...(i.quoted_text ? [i.quoted_text] : []), ...i.content.map((c) => c.text)].join('\n'));
/** Every human-readable string in a fixture (message texts, widget/task/tool payloads, title). */
const allTexts = (f: ConversationFixture): string =>
  [
    f.thread.title ?? '',
    ...f.items.map((i) => {
      const { id: _id, created_at: _created, thread_id: _thread, ...rest } = i;
      return JSON.stringify(rest);
    }),
  ].join('\n');

describe('conversation fixture files', () => {
  it('when the fixture directory is read, then it holds at least 20 JSON fixtures, all loaded', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(fixtures.map((f) => `${f.name}.json`)).toEqual(files);
  });

  it.each(files)('when %s is parsed, then it is in our thread store format and validates against the fixture schema', async (file) => {
    const json = JSON.parse(await readFile(path.join(DEFAULT_FIXTURES_DIR, file), 'utf8')) as { items: Array<{ type: string }> };
    const result = conversationFixtureSchema.safeParse(json);
    expect(result.success, result.error?.message).toBe(true);
    expect(result.data?.thread.id).toBe(`cthr_fixture_${path.basename(file, '.json')}`);
    // Ours, not the hosted export: no chatkit.* types, ISO 8601 times.
    expect(json.items.some((item) => item.type.startsWith('chatkit.'))).toBe(false);
    expect(result.data?.items.every((item) => !Number.isNaN(Date.parse(item.created_at)))).toBe(true);
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
    expect(types).toEqual(new Set(['user_message', 'assistant_message', 'widget', 'task', 'workflow', 'client_tool_call']));
    expect(fixtures.some((f) => f.items.length > 45)).toBe(true);
    expect(fixtures.some((f) => f.expect.emails.length > 0 && f.expect.phones.length === 0 && f.expect.handoffReady)).toBe(true);
    expect(fixtures.some((f) => f.expect.phones.length > 0 && f.expect.emails.length === 0 && f.expect.handoffReady)).toBe(true);
    expect(fixtures.some((f) => f.expect.emails.length + f.expect.phones.length === 0)).toBe(true);
    expect(fixtures.some((f) => !f.expect.handoffReady && f.expect.phones.length > 0)).toBe(true);
    expect(fixtures.filter((f) => /555\D{0,2}0142/.test(customerTexts(f).join('\n'))).length).toBeGreaterThanOrEqual(2);
    expect(fixtures.some((f) => userMessages(f).some((i) => i.attachments.some((a) => a.type === 'image' && 'preview_url' in a)))).toBe(
      true,
    );
    expect(fixtures.some((f) => userMessages(f).some((i) => i.quoted_text))).toBe(true);
    expect(fixtures.some((f) => customerTexts(f).some((t) => /<script>/i.test(t)))).toBe(true);
    expect(fixtures.some((f) => customerTexts(f).some((t) => /\r\nBcc:/i.test(t)))).toBe(true);
    expect(fixtures.some((f) => f.summary !== undefined)).toBe(true);
  });
});

describe('parseConversationFixture', () => {
  const [first] = fixtures;
  if (!first) throw new Error('no fixtures');
  const { name: _name, file, ...json } = first;

  it('when a fixture breaks the format, then it names the file and the problem', () => {
    expect(() => parseConversationFixture(json, path.join(path.dirname(file), 'renamed.json'))).toThrow(
      /thread\.id must be 'cthr_fixture_renamed'/,
    );
    const reversed = { ...json, items: [...json.items].reverse() };
    expect(() => parseConversationFixture(reversed, file)).toThrow(/oldest first/);
    const foreign = { ...json, items: json.items.map((i) => ({ ...i, thread_id: 'cthr_elsewhere' })) };
    expect(() => parseConversationFixture(foreign, file)).toThrow(/thread_id/);
    const badPhone = { ...json, expect: { ...json.expect, phones: ['408-555-0100'] } };
    expect(() => parseConversationFixture(badPhone, file)).toThrow(/E\.164/);
    const epochTimes = { ...json, items: json.items.map((i) => ({ ...i, created_at: 1772471135 })) };
    expect(() => parseConversationFixture(epochTimes, file)).toThrow(FixtureError);
    expect(() => parseConversationFixture({ ...json, items: [] }, file)).toThrow(new RegExp(path.basename(file)));
  });

  it('when a fixture comes in the hosted format, then it is converted and checked the same way', () => {
    const hosted = toHostedFixture(first);
    const { name: _n, file: _f, ...hostedJson } = hosted;
    expect(parseConversationFixture(hostedJson, file)).toEqual(first);
    expect(() => parseConversationFixture(hostedJson, path.join(path.dirname(file), 'renamed.json'))).toThrow(
      /thread\.id must be 'cthr_fixture_renamed'/,
    );
    expect(() => parseConversationFixture({ ...hostedJson, items: [...hostedJson.items].reverse() }, file)).toThrow(/oldest first/);
    expect(() => parseConversationFixture({ ...hostedJson, items: [{ type: 'chatkit.nope' }] }, file)).toThrow(/hosted format/);
  });

  it('when a directory holds hosted-format files, then loadConversationFixtures reads them as ours', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fixtures-hosted-'));
    try {
      const hosted = toHostedFixture(byName('seat_tear_en'));
      const { name: _n, file: _f, ...hostedJson } = hosted;
      await writeFile(path.join(dir, 'seat_tear_en.json'), JSON.stringify(hostedJson));
      const [loaded] = await loadConversationFixtures(dir);
      const { file: _file, ...rest } = loaded ?? ({} as ConversationFixture);
      const { file: _file2, ...expected } = byName('seat_tear_en');
      expect(rest).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the hosted view (what the OpenAI stand-in serves, and what shops export)', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('when %s goes to the hosted format and back, then nothing is lost', (_name, f) => {
    const hosted = toHostedFixture(f);
    expect(fromHosted(hosted)).toEqual({ thread: f.thread, items: f.items });
  });

  it('when loaded as hosted fixtures, then they are chatkit.thread / chatkit.thread_item objects with epoch times, owned by anon_fx_<name>', async () => {
    const hosted = await loadHostedConversationFixtures();
    expect(hosted.map((f) => f.name)).toEqual(fixtures.map((f) => f.name));
    for (const f of hosted) {
      expect(Object.keys(f.thread).sort()).toEqual(['created_at', 'id', 'object', 'status', 'title', 'user']);
      expect(f.thread).toMatchObject({ object: 'chatkit.thread', user: `anon_fx_${f.name}` });
      expect(typeof f.thread.created_at).toBe('number');
      for (const item of f.items) {
        expect(item.object).toBe('chatkit.thread_item');
        expect(item.type).toMatch(/^chatkit\./);
        expect(Number.isInteger(item.created_at)).toBe(true);
      }
      expect(f.expect).toEqual(byName(f.name).expect);
      expect(f.summary).toEqual(byName(f.name).summary);
    }
  });

  it('when the kept hosted exports are read, then they are exactly the hosted view of their fixture', async () => {
    const exports = (await readdir(HOSTED_EXPORTS_DIR)).filter((f) => f.endsWith('.json')).sort();
    expect(exports).toEqual(['carpet_phone_only_es.items.json', 'numbers_not_phones_en.json', 'seat_tear_en.json']);
    for (const file of exports) {
      const json = JSON.parse(await readFile(path.join(HOSTED_EXPORTS_DIR, file), 'utf8')) as unknown;
      const name = file.replace(/(\.items)?\.json$/, '');
      const hosted = toHostedFixture(byName(name));
      if (file.endsWith('.items.json')) expect(json).toEqual(hosted.items);
      else expect(json).toEqual({ thread: hosted.thread, items: hosted.items });
    }
  });

  it('when our items have no hosted counterpart (hidden context, end of turn), then the hosted view leaves them out', () => {
    const f = byName('seat_tear_en');
    const extra: ThreadItem[] = [
      { id: 'cthi_hidden', thread_id: f.thread.id, created_at: '2026-03-02T17:20:00Z', type: 'sdk_hidden_context', content: 'cancelled' },
      { id: 'cthi_eot', thread_id: f.thread.id, created_at: '2026-03-02T17:20:01Z', type: 'end_of_turn' },
    ];
    expect(toHostedFixture({ ...f, items: [...f.items, ...extra] }).items).toEqual(toHostedFixture(f).items);
  });
});
