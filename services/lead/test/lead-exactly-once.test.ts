import { CloudTasksClient } from '@google-cloud/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientOptions } from '@lead-intake/dev-tools/cloud-emulator/index';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { safetyNetTaskId } from '../src/adapters/cloud-tasks-scheduler.js';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

let seq = 0;
const newThreadId = (label: string) => `cthr_once_${label}_${Date.now().toString(36)}_${(seq += 1)}`;
const lead = (threadId: string) =>
  chatThread(threadId, [
    userMessage('My boat seats are cracked from the sun, 4 captain chairs. Call me: 831-555-0117'),
    assistantMessage('We redo marine vinyl all the time. The shop will call you.'),
  ]);

let env: LeadEnv;
let tasks: CloudTasksClient;
beforeAll(async () => {
  env = await startLeadEnv({ leaseSeconds: 1, safetyNetDelaySeconds: 3600 });
  tasks = new CloudTasksClient(emulatorClientOptions(env.cloud));
});
afterAll(async () => {
  await tasks.close();
  await env.close();
});

const taskNames = () => [...env.cloud.tasks.list(env.queue), ...env.cloud.tasks.finished(env.queue)].map((t) => t.name);

describe('exactly once', () => {
  it('when 20 triggers for one thread arrive at once, then one lease, one evaluation task and one email', async () => {
    const threadId = newThreadId('burst');
    await env.seed(lead(threadId));
    const before = taskNames();

    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        env
          .trigger({ threadId, reason: (['idle', 'pagehide', 'chat_closed', 'auto'] as const)[i % 4] })
          .then(async (r) => ((await r.json()) as { reason: string }).reason),
      ),
    );
    // The first lease is taken with tx.create: exactly one winner, whatever the emulator's isolation.
    expect(answers.filter((reason) => reason === 'queued')).toHaveLength(1);
    expect(answers.filter((reason) => reason !== 'queued').every((reason) => reason === 'in_progress' || reason === 'already_sent')).toBe(
      true,
    );

    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    const record = await env.record(threadId);
    expect(record?.attempts).toBe(1);
    const evaluationTasks = taskNames().filter((name) => /\/tasks\/lead-/.test(name) && !before.includes(name));
    expect(evaluationTasks).toHaveLength(1);
    expect(taskNames().filter((name) => name.endsWith(safetyNetTaskId(threadId)))).toHaveLength(1);
  });

  it('when a task runs after its lease was taken over, then it sends nothing and the new lease sends once', async () => {
    const threadId = newThreadId('stale');
    await env.seed(lead(threadId));
    await tasks.pauseQueue({ name: env.queue });
    try {
      expect(((await (await env.trigger({ threadId, reason: 'idle' })).json()) as { reason: string }).reason).toBe('queued');
      const first = await env.record(threadId);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the 1 s lease expires, its task never ran
      expect(((await (await env.trigger({ threadId, reason: 'pagehide' })).json()) as { reason: string }).reason).toBe('queued');
      const second = await env.record(threadId);
      expect(second?.lease?.id).not.toBe(first?.lease?.id);
      expect(second?.attempts).toBe(2);
    } finally {
      await tasks.resumeQueue({ name: env.queue });
    }
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    const staleLine = env.logs.lines.find((line) => line.includes(threadId) && line.includes('stale lead task'));
    expect(staleLine).toBeDefined();
  });

  it('when the browser never sends another trigger, then the safety net evaluates the thread and emails the lead', async () => {
    const safetyEnv = await startLeadEnv({ safetyNetDelaySeconds: 1 });
    try {
      const threadId = newThreadId('safety');
      // Contact but not handoff-ready: the `auto` evaluation alone would never email.
      await safetyEnv.seed(chatThread(threadId, [userMessage('hi, text me at 650-555-0177'), assistantMessage('Sure, what do you need?')]));
      await safetyEnv.trigger({ threadId, reason: 'auto' });
      await waitFor(async () => (await safetyEnv.record(threadId))?.lastOutcome?.outcome === 'not_ready');
      expect(await safetyEnv.emailsFor(threadId)).toHaveLength(0);

      await waitFor(async () => (await safetyEnv.emailsFor(threadId)).length === 1, 10_000);
      // SES has the mail a moment before the record is marked sent.
      await waitFor(async () => (await safetyEnv.state(threadId)) === 'sent');
      const record = await safetyEnv.record(threadId);
      expect(record?.lead).not.toBeNull();
      expect(record?.lead?.trigger).toBe('safety_net');
    } finally {
      await safetyEnv.close();
    }
  });

  const firestore = useProvided('firestore');
  it.skipIf(!firestore.isolatesTransactions)(
    `when 20 triggers race to take over an expired lease, then exactly one wins (needs transaction isolation; skipped on ${firestore.kind}: ${firestore.reason ?? ''})`,
    async () => {
      const threadId = newThreadId('takeover');
      await env.seed(lead(threadId));
      await tasks.pauseQueue({ name: env.queue });
      try {
        await env.trigger({ threadId, reason: 'idle' });
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const answers = await Promise.all(
          Array.from({ length: 20 }, () =>
            env.trigger({ threadId, reason: 'pagehide' }).then(async (r) => ((await r.json()) as { reason: string }).reason),
          ),
        );
        expect(answers.filter((reason) => reason === 'queued')).toHaveLength(1);
      } finally {
        await tasks.resumeQueue({ name: env.queue });
      }
      await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
      await env.settle();
      expect(await env.emailsFor(threadId)).toHaveLength(1);
    },
  );
});
