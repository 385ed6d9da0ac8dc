/**
 * SES faults, injected in the local SES (`/__ses/faults`), against the lead service wired as in
 * production (3 in-process attempts for failures that prove SES took nothing).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { injectSesFaults, listSesFaults } from '@lead-intake/dev-tools/ses/start-ses';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { evaluationTaskId } from '../src/adapters/cloud-tasks-scheduler.js';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';
import { runCli } from './support/cli.js';

let seq = 0;
const newThread = async (label: string) => {
  const threadId = `cthr_ses_${label}_${Date.now().toString(36)}_${(seq += 1)}`;
  await env.seed(
    chatThread(threadId, [
      userMessage('Convertible top on my 2006 Mustang is ripped, need a new one. Jordan, 415-555-0166'),
      assistantMessage('We can replace it. Someone will call you.'),
    ]),
  );
  return threadId;
};
const attemptsOf = async (threadId: string) => {
  const record = await env.record(threadId);
  const leaseId = record?.lease?.id ?? record?.lead?.leaseId ?? '';
  return env.cloud.tasks.get(`${env.queue}/tasks/${evaluationTaskId(threadId, leaseId)}`)?.attempts.map((a) => a.httpStatus);
};
/** The faults injected for the thread that are still waiting (none once every one was hit). */
const faultsLeft = async (threadId: string) => (await listSesFaults(env.sesEndpoint)).filter((fault) => fault.subjectContains === threadId);
const sentRecord = (threadId: string) => waitFor(async () => ((await env.state(threadId)) === 'sent' ? env.record(threadId) : undefined));

let env: LeadEnv;
beforeAll(async () => {
  env = await startLeadEnv({ sesAttempts: 3 });
});
afterAll(async () => {
  await env.close();
});

describe('SES says it took nothing', () => {
  it('when SES throttles the first two sends, then the mailer retries in-process and the shop gets exactly one email', async () => {
    const threadId = await newThread('throttle2');
    await injectSesFaults(env.sesEndpoint, { kind: 'throttle', subjectContains: threadId, times: 2 });
    await env.trigger({ threadId, reason: 'idle' });

    const record = await sentRecord(threadId);
    await env.settle();
    const emails = await env.emailsFor(threadId);
    expect(emails).toHaveLength(1);
    expect(record?.lead).toMatchObject({ messageId: emails[0]?.messageId, uncertainty: null });
    expect(await faultsLeft(threadId)).toEqual([]);
    expect(await attemptsOf(threadId)).toEqual([200]);
  });

  it('when SES throttles five sends, then Cloud Tasks retries the task after the mailer gives up, and the shop gets exactly one email', async () => {
    const threadId = await newThread('throttle5');
    await injectSesFaults(env.sesEndpoint, { kind: 'throttle', subjectContains: threadId, times: 5 });
    await env.trigger({ threadId, reason: 'idle' });

    await sentRecord(threadId);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    expect(await attemptsOf(threadId)).toEqual([503, 200]);
  });

  it('when SES answers 500 InternalFailure, then the send is retried and the shop gets exactly one email', async () => {
    const threadId = await newThread('internal');
    await injectSesFaults(env.sesEndpoint, { kind: 'status', status: 500, subjectContains: threadId });
    await env.trigger({ threadId, reason: 'idle' });

    await sentRecord(threadId);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    expect(await faultsLeft(threadId)).toEqual([]);
    expect(await attemptsOf(threadId)).toEqual([200]);
  });
});

describe("SES's reply is lost", () => {
  it('when SES stores the email and the connection drops before its answer, then one email, recorded as sent unconfirmed, CRITICAL, shown by status, never re-sent', async () => {
    const threadId = await newThread('replylost');
    await injectSesFaults(env.sesEndpoint, { kind: 'reply_lost', subjectContains: threadId });
    await env.trigger({ threadId, reason: 'idle' });

    const record = await sentRecord(threadId);
    await env.settle();
    expect(record?.lead).toMatchObject({ messageId: null, uncertainty: 'ses_reply_lost' });
    expect(await attemptsOf(threadId)).toEqual([200]);
    const critical = env.logEntries().filter((line) => line.severity === 'CRITICAL' && line.threadId === threadId);
    expect(critical.map((line) => line.uncertainty)).toContain('ses_reply_lost');

    // Later triggers (another tab, the customer leaving) do not send it again.
    const answer = (await (await env.trigger({ threadId, reason: 'pagehide' })).json()) as { sent: boolean; reason: string };
    expect(answer).toMatchObject({ sent: true, reason: 'already_sent' });
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);

    const firestore = useProvided('firestore');
    const status = await runCli(['status', threadId], {
      FIRESTORE_EMULATOR_HOST: firestore.hostPort,
      GOOGLE_CLOUD_PROJECT: firestore.projectId,
      FIRESTORE_COLLECTION: env.collection,
    });
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      threadId,
      state: 'sent',
      delivery: 'unconfirmed',
      sendUncertainty: 'ses_reply_lost',
      sesMessageId: null,
    });
    expect(shown.note).toContain('resend');
  });
});
