/**
 * Issue 8, item 1: once SES accepted the lead email, nothing may send it again: not Cloud Tasks
 * retrying the task because Firestore failed to record the send, nor a retry after the service
 * died between the send and the record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { evaluationTaskId, recordSentTaskId } from '../src/adapters/cloud-tasks-scheduler.js';
import type { Mailer } from '../src/ports.js';
import { startLeadEnv, waitFor, type LeadEnv, type LeadEnvOptions } from './harness.js';
import { flakyFirestore } from './support/fakes.js';

let seq = 0;
const newThreadId = (label: string) => `cthr_sentonce_${label}_${Date.now().toString(36)}_${(seq += 1)}`;
const lead = (threadId: string) =>
  chatThread(threadId, [
    userMessage('The driver seat of my 2014 Tacoma is torn along the bolster. Sam, 503-555-0142'),
    assistantMessage('We fix bolsters all the time. The shop will call you.'),
  ]);

/**
 * An env whose lead-record Firestore can fail, whose summarizer runs `afterSummary` once the
 * summary is written (the send marker's write comes next), and whose mailer runs `afterSend`
 * once SES accepted.
 */
async function faultyEnv(options: LeadEnvOptions = {}) {
  let flaky: ReturnType<typeof flakyFirestore> | undefined;
  let afterSend: (() => Promise<void> | void) | undefined;
  let afterSummary: (() => void) | undefined;
  const env = await startLeadEnv({
    ...options,
    wrapLeaseFirestore: (db) => (flaky = flakyFirestore(db)).db,
    wrapSummarizer: (summarizer) => ({
      summarize: async (input) => {
        const summary = await summarizer.summarize(input);
        const hook = afterSummary;
        afterSummary = undefined;
        hook?.();
        return summary;
      },
    }),
    wrapMailer: (mailer): Mailer => ({
      messageIdHeader: (id) => mailer.messageIdHeader(id),
      send: async (email) => {
        const sent = await mailer.send(email);
        const hook = afterSend;
        afterSend = undefined;
        await hook?.();
        return sent;
      },
    }),
  });
  if (!flaky) throw new Error('the harness did not build the lead record store');
  const firestore = flaky;
  return {
    env,
    firestore,
    afterNextSend: (hook: () => Promise<void> | void) => {
      afterSend = hook;
    },
    afterNextSummary: (hook: () => void) => {
      afterSummary = hook;
    },
  };
}

const taskName = (env: LeadEnv, id: string) => `${env.queue}/tasks/${id}`;
const statuses = (env: LeadEnv, name: string) => env.cloud.tasks.get(name)?.attempts.map((a) => a.httpStatus);
const critical = (env: LeadEnv, threadId: string) =>
  env.logEntries().filter((line) => line.severity === 'CRITICAL' && line.threadId === threadId);

let main: Awaited<ReturnType<typeof faultyEnv>>;
beforeAll(async () => {
  main = await faultyEnv();
});
afterAll(async () => {
  await main.env.close();
});

describe('Firestore fails after SES accepted the lead email', () => {
  it('when the first 2 "sent" writes fail, then the in-process retry records it: one email, the task answers 200, no follow-up task', async () => {
    const { env } = main;
    const threadId = newThreadId('first2');
    await env.seed(lead(threadId));
    const failuresBefore = main.firestore.failures();
    main.afterNextSend(() => main.firestore.failNext(2));
    await env.trigger({ threadId, reason: 'idle' });

    await waitFor(async () => (await env.state(threadId)) === 'sent', 10_000, 'the record to be sent');
    await env.settle();
    const [email, ...more] = await env.emailsFor(threadId);
    expect(more).toHaveLength(0);
    const record = await env.record(threadId);
    expect(record?.lead).toMatchObject({ messageId: email?.messageId, uncertainty: null });
    const leaseId = record?.lead?.leaseId ?? '';
    expect(statuses(env, taskName(env, evaluationTaskId(threadId, leaseId)))).toEqual([200]);
    expect(env.cloud.tasks.get(taskName(env, recordSentTaskId(threadId, leaseId)))).toBeUndefined();
    expect(main.firestore.failures() - failuresBefore).toBe(2);
  });

  it('when the first 5 "sent" writes fail, then the task still answers 200, logs CRITICAL with the message id, and a follow-up task records it: one email', async () => {
    const { env } = main;
    const threadId = newThreadId('first5');
    await env.seed(lead(threadId));
    main.afterNextSend(() => main.firestore.failNext(5));
    await env.trigger({ threadId, reason: 'idle' });

    await waitFor(async () => (await env.state(threadId)) === 'sent', 15_000, 'the follow-up to record the send');
    await env.settle();
    const emails = await env.emailsFor(threadId);
    expect(emails).toHaveLength(1);
    const record = await env.record(threadId);
    expect(record?.lead).toMatchObject({ messageId: emails[0]?.messageId, uncertainty: null });
    const leaseId = record?.lead?.leaseId ?? '';
    // 3 in-process attempts fail, then the follow-up's first 2 attempts.
    expect(statuses(env, taskName(env, evaluationTaskId(threadId, leaseId)))).toEqual([200]);
    expect(statuses(env, taskName(env, recordSentTaskId(threadId, leaseId)))).toEqual([503, 503, 200]);
    expect(critical(env, threadId).map((line) => line.messageId)).toContain(emails[0]?.messageId);
  });

  it('when every "sent" write fails (the follow-up gives up too), then one email, and once the lease expires a trigger finds it sent, unconfirmed', async () => {
    const short = await faultyEnv({ leaseSeconds: 2 });
    const { env } = short;
    try {
      const threadId = newThreadId('every');
      await env.seed(lead(threadId));
      short.afterNextSend(() => short.firestore.failNext(Infinity));
      await env.trigger({ threadId, reason: 'idle' });

      const before = await waitFor(async () => {
        const record = await env.record(threadId);
        return record?.lease?.send ? record : undefined;
      });
      const leaseId = before.lease?.id ?? '';
      const followUp = await env.cloud.tasks.waitForTask(taskName(env, recordSentTaskId(threadId, leaseId)), { timeoutMs: 15_000 });
      expect(followUp.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 503, 503]); // the queue's maxAttempts
      expect(statuses(env, taskName(env, evaluationTaskId(threadId, leaseId)))).toEqual([200]);
      const emails = await env.emailsFor(threadId);
      expect(emails).toHaveLength(1);
      expect(critical(env, threadId).map((line) => line.messageId)).toContain(emails[0]?.messageId);
      expect(await env.state(threadId)).toBe('leased');

      short.firestore.failNext(0); // Firestore is back
      await waitFor(async () => ((await env.record(threadId))?.lease?.expiresAt ?? Infinity) < Date.now(), 5_000, 'the lease to expire');
      const answer = (await (await env.trigger({ threadId, reason: 'pagehide' })).json()) as { sent: boolean; reason: string };
      expect(answer).toMatchObject({ sent: true, reason: 'already_sent' });
      expect((await env.record(threadId))?.lead).toMatchObject({ uncertainty: 'task_interrupted' });
      await env.settle();
      expect(await env.emailsFor(threadId)).toHaveLength(1);
    } finally {
      await short.env.close();
    }
  });
});

describe('the service dies between the send and the record', () => {
  it('when Cloud Tasks retries the task, then it finds its own send started, sends nothing and records it as sent, unconfirmed: one email', async () => {
    const { env } = main;
    const threadId = newThreadId('crash');
    await env.seed(lead(threadId));
    // The process "dies": its connections drop and nothing after the send runs.
    main.afterNextSend(() => {
      env.dropConnections();
      return new Promise<never>(() => undefined);
    });
    await env.trigger({ threadId, reason: 'idle' });

    await waitFor(async () => (await env.state(threadId)) === 'sent', 10_000, 'the retry to record the send');
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    const record = await env.record(threadId);
    expect(record?.lead).toMatchObject({ messageId: null, uncertainty: 'task_interrupted' });
    const attempts = env.cloud.tasks.get(taskName(env, evaluationTaskId(threadId, record?.lead?.leaseId ?? '')))?.attempts ?? [];
    expect(attempts.map((a) => a.httpStatus)).toEqual([null, 200]);
    expect(critical(env, threadId).some((line) => line.uncertainty === 'task_interrupted')).toBe(true);

    const again = (await (await env.trigger({ threadId, reason: 'chat_closed' })).json()) as { sent: boolean; reason: string };
    expect(again).toMatchObject({ sent: true, reason: 'already_sent' });
  });
});

describe('the send marker is written but its write gives up (deadline) before Firestore answers', () => {
  it('when the marker landed anyway, then the task takes it back, Cloud Tasks retries and the retry sends: one email, confirmed', async () => {
    const { env } = main;
    const threadId = newThreadId('latemarker');
    await env.seed(lead(threadId));
    // After the summary: the `summarized` transaction, then the send marker's.
    main.afterNextSummary(() => main.firestore.landThenFailNext(1, 1));
    await env.trigger({ threadId, reason: 'idle' });

    await waitFor(async () => (await env.state(threadId)) === 'sent', 10_000, 'the retry to send');
    await env.settle();
    const emails = await env.emailsFor(threadId);
    expect(emails).toHaveLength(1);
    const record = await env.record(threadId);
    expect(record?.lead).toMatchObject({ messageId: emails[0]?.messageId, uncertainty: null });
    expect(statuses(env, taskName(env, evaluationTaskId(threadId, record?.lead?.leaseId ?? '')))).toEqual([503, 200]);
    expect(
      env
        .logEntries()
        .some(
          (line) =>
            line.threadId === threadId && line.message === 'the send marker landed after its write gave up; taken back, nothing sent',
        ),
    ).toBe(true);
    expect(critical(env, threadId)).toEqual([]);
  });
});
