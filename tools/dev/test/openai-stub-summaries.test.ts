/**
 * Lead summaries pinned per thread id: loaded from the conversation fixtures at start, set from
 * code (`stub.summaries`) or over HTTP (`/__stub/summaries`), and returned verbatim by
 * `POST /v1/responses` for the thread id the input mentions.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zodTextFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The lead service's real schema: the stub must satisfy exactly what the service will send.
import { leadSummarySchema } from '@lead-intake/shared/api';
import { FixtureError, loadConversationFixtures } from '../src/fixtures/index.js';
import { SummaryInputError, startOpenAIStub, type LeadSummaryOverrides } from '../src/openai-stub/server.js';
import { useOpenAIStub } from './support/openai-stub-under-test.js';

const MODEL = 'gpt-4.1-mini';
const fixtures = await loadConversationFixtures();
const withSummary = fixtures.filter((f) => f.summary !== undefined);
const PINNED: LeadSummaryOverrides = { handoff_ready: false, handoff_reason: 'Pinned by the test.' };

const harness = useOpenAIStub({
  // Back to the fixtures' summaries only.
  reset: (stub) => {
    stub.summaries.clear();
    for (const f of withSummary) if (f.summary) stub.summaries.set(f.thread.id, f.summary);
  },
});
const client = harness.client.bind(harness);

function summarize(text: string) {
  return client().responses.parse({
    model: MODEL,
    instructions: 'Summarize this chat for the shop.',
    input: text,
    text: { format: zodTextFormat(leadSummarySchema, 'lead_summary') },
  });
}

const chat = (threadId: string) =>
  [`Thread: ${threadId}`, '', 'Customer: My driver seat is torn, 2015 Honda Civic. Call me at 408-555-0187.'].join('\n');

const control = (pathname: string, init: RequestInit = {}) =>
  fetch(`${harness.stub.url}/__stub${pathname}`, {
    ...init,
    headers: init.body ? { 'content-type': 'application/json' } : {},
  });

describe('summaries from the conversation fixtures', () => {
  it('when the stand-in starts with the default fixtures, then exactly the fixtures that have a summary are pinned, under their thread ids', () => {
    expect(withSummary.length).toBeGreaterThan(0);
    expect(harness.stub.summaries.list()).toEqual(withSummary.map((f) => ({ threadId: f.thread.id, summary: f.summary })));
  });

  it('when a fixture thread id is in the input, then its pinned fields come back verbatim', async () => {
    const [f] = withSummary;
    if (!f?.summary) throw new Error('no fixture with a summary');
    const { output_parsed } = await summarize(chat(f.thread.id));
    expect(output_parsed).toMatchObject(f.summary);
  });

  it('when started with fixtures: false, then nothing is pinned', async () => {
    const bare = await startOpenAIStub({ fixtures: false });
    try {
      expect(bare.summaries.list()).toEqual([]);
    } finally {
      await bare.close();
    }
  });

  describe('from another directory', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'openai-stub-fixtures-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('when given a directory, then the summaries of its fixtures are pinned; an invalid fixture fails the start', async () => {
      const [f] = withSummary;
      if (!f) throw new Error('no fixture with a summary');
      await copyFile(f.file, path.join(dir, path.basename(f.file)));
      const own = await startOpenAIStub({ fixtures: dir });
      try {
        expect(own.summaries.list()).toEqual([{ threadId: f.thread.id, summary: f.summary }]);
      } finally {
        await own.close();
      }

      await writeFile(path.join(dir, 'broken.json'), '{"thread": {}}');
      await expect(startOpenAIStub({ fixtures: dir })).rejects.toBeInstanceOf(FixtureError);
    });
  });
});

describe('stub.summaries from code', () => {
  it('when a summary is pinned for a thread id, then responses for that id return its fields and the rest is derived', async () => {
    harness.stub.summaries.set('cthr_code_1', PINNED);
    const { output_parsed } = await summarize(chat('cthr_code_1'));
    expect(output_parsed).toMatchObject({ ...PINNED, vehicle: '2015 Honda Civic', customer_language: 'en' });
    expect(leadSummarySchema.safeParse(output_parsed).success).toBe(true);

    const other = await summarize(chat('cthr_code_2'));
    expect(other.output_parsed).toMatchObject({ handoff_ready: true });
  });

  it('when a fixture is seeded under another id (as the lead tests do), then the summary pinned for that id wins', async () => {
    const [f] = withSummary;
    if (!f?.summary) throw new Error('no fixture with a summary');
    const copy = `${f.thread.id}_scenario_k2x1`;
    harness.stub.summaries.set(copy, { ...f.summary, handoff_reason: 'For the copy.' });
    const { output_parsed } = await summarize(chat(copy));
    expect(output_parsed).toMatchObject({ ...f.summary, handoff_reason: 'For the copy.' });
  });

  it('when set, get, list, delete and clear are used, then they pin, copy and drop', () => {
    const stub = harness.stub;
    expect(stub.summaries.set('cthr_code_3', PINNED)).toEqual(PINNED);
    const copy = stub.summaries.get('cthr_code_3');
    if (copy) copy.handoff_reason = 'changed by the caller';
    expect(stub.summaries.get('cthr_code_3')).toEqual(PINNED);
    expect(stub.summaries.list().at(-1)).toEqual({ threadId: 'cthr_code_3', summary: PINNED });

    stub.summaries.set('cthr_code_3', { customer_name: 'Ana' });
    expect(stub.summaries.get('cthr_code_3')).toEqual({ customer_name: 'Ana' });

    expect(stub.summaries.delete('cthr_code_3')).toBe(true);
    expect(stub.summaries.delete('cthr_code_3')).toBe(false);
    expect(stub.summaries.get('cthr_code_3')).toBeUndefined();

    stub.summaries.clear();
    expect(stub.summaries.list()).toEqual([]);
  });

  it('when the thread id or a field is invalid, then set throws SummaryInputError and pins nothing', () => {
    const before = harness.stub.summaries.list();
    expect(() => harness.stub.summaries.set('not-a-thread', PINNED)).toThrow(SummaryInputError);
    expect(() => harness.stub.summaries.set('not-a-thread', PINNED)).toThrow(/cthr_/);
    expect(() => harness.stub.summaries.set('cthr_code_4', { handoff_ready: 'yes' } as never)).toThrow(/handoff_ready/);
    expect(() => harness.stub.summaries.set('cthr_code_4', { made_up: 1 } as never)).toThrow(/made_up/);
    expect(harness.stub.summaries.list()).toEqual(before);
  });
});

describe('/__stub/summaries over HTTP', () => {
  it('when a summary is PUT, then it is listed, read back, used by /v1/responses and deleted', async () => {
    const put = await control('/summaries/cthr_http_1', { method: 'PUT', body: JSON.stringify(PINNED) });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ thread_id: 'cthr_http_1', summary: PINNED });

    const got = await control('/summaries/cthr_http_1');
    expect(await got.json()).toEqual({ thread_id: 'cthr_http_1', summary: PINNED });
    const listed = (await (await control('/summaries')).json()) as { data: unknown[] };
    expect(listed.data).toContainEqual({ thread_id: 'cthr_http_1', summary: PINNED });
    expect(listed.data).toHaveLength(withSummary.length + 1);

    expect((await summarize(chat('cthr_http_1'))).output_parsed).toMatchObject(PINNED);

    expect((await control('/summaries/cthr_http_1', { method: 'DELETE' })).status).toBe(204);
    expect((await control('/summaries/cthr_http_1')).status).toBe(404);
    expect((await control('/summaries/cthr_http_1', { method: 'DELETE' })).status).toBe(404);
  });

  it('when the summary or the id is invalid, then PUT answers 400 invalid_summary and pins nothing', async () => {
    for (const [id, body] of [
      ['cthr_http_2', JSON.stringify({ handoff_ready: 'yes' })],
      ['cthr_http_2', JSON.stringify([PINNED])],
      ['not-a-thread', JSON.stringify(PINNED)],
    ] as const) {
      const res = await control(`/summaries/${id}`, { method: 'PUT', body });
      expect(res.status, body).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_summary');
    }
    expect(harness.stub.summaries.get('cthr_http_2')).toBeUndefined();
  });

  it('when every summary is deleted, then none is pinned, the fixtures’ included', async () => {
    expect((await control('/summaries', { method: 'DELETE' })).status).toBe(204);
    expect(harness.stub.summaries.list()).toEqual([]);
    expect(await (await control('/summaries')).json()).toEqual({ data: [] });
  });
});
