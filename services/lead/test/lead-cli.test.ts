import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOSTED_EXPORTS_DIR,
  loadConversationFixtures,
  withThreadId,
  type ConversationFixture,
} from '@lead-intake/dev-tools/fixtures/index';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { startLeadEnv, TASKS_SA, waitFor, type LeadEnv } from './harness.js';
import { runCli } from './support/cli.js';

let env: LeadEnv;
let dir: string;
beforeAll(async () => {
  env = await startLeadEnv();
  dir = await mkdtemp(join(tmpdir(), 'lead-cli-'));
});
afterAll(async () => {
  await env.close();
});

const fixtures = await loadConversationFixtures();
const fixture = (name: string) => {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};
/** Where `preview` finds our threads: the env's thread store in the local Firestore. */
const firestoreEnv = () => {
  const firestore = useProvided('firestore');
  return {
    FIRESTORE_EMULATOR_HOST: firestore.hostPort,
    GOOGLE_CLOUD_PROJECT: firestore.projectId,
    CHAT_THREADS_COLLECTION: env.threadsCollection,
  };
};

describe('npm run lead -- preview', () => {
  it('when given a hosted ChatKit export with --no-summary --json, then it prints the contact and gating without calling OpenAI', async () => {
    const file = join(HOSTED_EXPORTS_DIR, 'numbers_not_phones_en.json');
    const result = await runCli(['preview', file, '--no-summary', '--json']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as {
      contact: { emails: string[]; phones: string[] };
      summary: unknown;
      gate: string;
    };
    const { expect: expected } = fixture('numbers_not_phones_en');
    expect(output.contact).toEqual({ emails: expected.emails, phones: expected.phones });
    expect(output.summary).toBeNull();
    expect(output.gate).toBe('summarize');
  });

  it('when given the bare hosted listItems array, then it reads it too', async () => {
    const result = await runCli(['preview', join(HOSTED_EXPORTS_DIR, 'carpet_phone_only_es.items.json'), '--no-summary', '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { contact: { phones: string[] } }).contact.phones).toEqual(
      fixture('carpet_phone_only_es').expect.phones,
    );
  });

  it.each([
    ['{ thread, items }', (f: ConversationFixture) => ({ thread: f.thread, items: f.items })],
    ['a bare items array', (f: ConversationFixture) => f.items],
    [
      'a ChatKit Thread with its items page',
      (f: ConversationFixture) => ({ ...f.thread, items: { data: f.items, has_more: false, after: null } }),
    ],
  ])('when given our thread store items as %s, then it finds the same contact as in the hosted export', async (_shape, toJson) => {
    const file = join(dir, `ours-${randomUUID().slice(0, 8)}.json`);
    await writeFile(file, JSON.stringify(toJson(fixture('numbers_not_phones_en'))));
    const ours = await runCli(['preview', file, '--no-summary', '--json']);
    const hosted = await runCli(['preview', join(HOSTED_EXPORTS_DIR, 'numbers_not_phones_en.json'), '--no-summary', '--json']);
    expect(ours.code).toBe(0);
    const read = (stdout: string) => JSON.parse(stdout) as { threadId: string; contact: unknown; gate: unknown; email: { text: string } };
    expect(read(ours.stdout).contact).toEqual(read(hosted.stdout).contact);
    expect(read(ours.stdout).gate).toEqual(read(hosted.stdout).gate);
    expect(read(ours.stdout).threadId).toBe('cthr_fixture_numbers_not_phones_en');
  });

  it('when given a thread id and OpenAI settings, then it reads the thread from Firestore, summarizes and writes the HTML without sending', async () => {
    await env.seedFixture(fixture('seat_tear_en'));
    const html = join(dir, 'preview.html');
    env.stub.clearRequests();
    const result = await runCli(['preview', 'cthr_fixture_seat_tear_en', '--json', '--html', html], {
      ...firestoreEnv(),
      OPENAI_API_KEY: 'sk-cli',
      OPENAI_BASE_URL: env.stub.baseURL,
    });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { summary: { handoff_ready: boolean } | null; email: { subject: string } };
    expect(output.summary?.handoff_ready).toBe(true);
    expect(output.email.subject).toContain('cthr_fixture_seat_tear_en');
    expect(await readFile(html, 'utf8')).toContain('<!doctype html>');
    expect(env.stub.requests.filter((r) => r.route === 'POST /v1/responses')).toHaveLength(1);
    expect(await env.emailsFor('cthr_fixture_seat_tear_en')).toHaveLength(0);
  });

  it('when given a thread id with --no-summary, then it needs no OpenAI settings at all', async () => {
    await env.seedFixture(fixture('seat_tear_en'));
    env.stub.clearRequests();
    const result = await runCli(['preview', 'cthr_fixture_seat_tear_en', '--no-summary', '--json'], firestoreEnv());
    expect(result.code).toBe(0);
    const { expect: expected } = fixture('seat_tear_en');
    expect((JSON.parse(result.stdout) as { contact: unknown }).contact).toEqual({ emails: expected.emails, phones: expected.phones });
    expect(env.stub.requests).toHaveLength(0);
  });

  it('when the thread id is not in the thread store, then it exits 1 naming the collection', async () => {
    const result = await runCli(['preview', 'cthr_nobody_has_this', '--no-summary'], firestoreEnv());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cthr_nobody_has_this: no such thread in the "${env.threadsCollection}" collection`);
  });

  it('when the file does not exist, then it exits 1 with a clear message', async () => {
    const result = await runCli(['preview', join(dir, 'missing.json'), '--no-summary']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot read');
  });

  it('when the command is unknown, then it exits 2 with the usage', async () => {
    const result = await runCli(['explode', 'cthr_x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage');
  });
});

describe('npm run lead -- status / resend', () => {
  it('when a lead was sent, then status shows it, and resend clears it (audited) and sends it again', async () => {
    const firestore = useProvided('firestore');
    const threadId = await env.seed(withThreadId(fixture('seat_tear_en'), `cthr_cli_${Date.now().toString(36)}`));
    await env.trigger({ threadId, reason: 'idle' });
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);

    const cliEnv = {
      FIRESTORE_EMULATOR_HOST: firestore.hostPort,
      GOOGLE_CLOUD_PROJECT: firestore.projectId,
      FIRESTORE_COLLECTION: env.collection,
      CHAT_THREADS_COLLECTION: env.threadsCollection,
    };
    const status = await runCli(['status', threadId], cliEnv);
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as { history: Array<Record<string, unknown>> };
    expect(shown).toMatchObject({ threadId, state: 'sent', delivery: 'confirmed', attempts: 1, lastOutcome: 'sent' });
    expect(shown.history.map((entry) => entry.kind)).toEqual(['lease', 'sent']);
    expect(shown.history[0]).toMatchObject({ trigger: 'idle', purpose: 'lead' });
    expect(shown.history[1]).toMatchObject({ kind: 'sent', purpose: 'lead', trigger: 'idle', messageId: expect.any(String) as unknown });

    const resend = await runCli(['resend', threadId, '--reason', 'shop lost the email'], {
      ...cliEnv,
      CLOUD_TASKS_EMULATOR_HOST: `${env.cloud.grpcEndpoint.host}:${env.cloud.grpcEndpoint.port}`,
      CLOUD_TASKS_QUEUE: env.queue,
      TASK_HANDLER_URL: env.handlerUrl,
      TASK_SERVICE_ACCOUNT_EMAIL: TASKS_SA,
      LEAD_TO_EMAIL: 'shop@rosewood.example',
      LEAD_FROM_EMAIL: 'leads@rosewood.example',
      OPENAI_API_KEY: 'sk-cli',
    });
    expect(resend.stderr).toBe('');
    expect(resend.code).toBe(0);
    await waitFor(async () => (await env.emailsFor(threadId)).length === 2);

    await waitFor(async () => (await env.state(threadId)) === 'sent');
    const after = JSON.parse((await runCli(['status', threadId], cliEnv)).stdout) as { history: Array<Record<string, unknown>> };
    const resends = after.history.filter((entry) => entry.kind === 'resend');
    expect(resends).toHaveLength(1);
    expect(resends[0]).toMatchObject({ reason: 'shop lost the email', previousMessageId: expect.any(String) as unknown });
    expect(after.history.map((entry) => entry.kind)).toEqual(['lease', 'sent', 'resend', 'lease', 'sent']);
    expect(after.history[3]).toMatchObject({ trigger: 'resend' });
  });

  it('when the thread id is malformed, then it exits 2', async () => {
    const result = await runCli(['status', 'thread-1']);
    expect(result.code).toBe(2);
  });
});
