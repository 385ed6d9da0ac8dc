/** The lead record store on the local Firestore: the machine's steps applied in transactions, and stored as written. */
import { randomUUID } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import { afterAll, describe, expect, it } from 'vitest';
import type { LeadEvent } from '../src/domain/lead-machine.js';
import { localLeadRecordStore, TEST_POLICY } from './support/lead-record-store.js';

const { db, store, clock, collection } = localLeadRecordStore();
afterAll(async () => {
  await db.terminate();
});

const newThread = () => `cthr_store_${randomUUID().slice(0, 8)}`;
const trigger = (version: number): Extract<LeadEvent, { type: 'trigger' }> => ({
  type: 'trigger',
  trigger: 'pagehide',
  version,
  leaseId: randomUUID(),
});

describe('FirestoreLeadRecordStore', () => {
  it('when 12 first triggers race for a new thread, then exactly one takes the lease (create precondition) and the rest see it', async () => {
    const threadId = newThread();
    const steps = await Promise.all(Array.from({ length: 12 }, () => store.apply(threadId, trigger(1))));
    const kinds = steps.map((step) => step.result.verdict.kind);
    expect(kinds.filter((kind) => kind === 'queued')).toHaveLength(1);
    expect(kinds.filter((kind) => kind !== 'queued').every((kind) => kind === 'in_progress')).toBe(true);
    const record = await store.get(threadId);
    expect(record?.attempts).toBe(1);
    const winner = steps.find((step) => step.result.verdict.kind === 'queued');
    expect(record?.lease?.id).toBe(winner?.record?.lease?.id);
  });

  it('when a step changes the record, then what is read back is what the machine returned, with a TTL timestamp', async () => {
    const threadId = newThread();
    const taken = await store.apply(threadId, trigger(2));
    expect(await store.get(threadId)).toEqual(taken.record);
    const stored = (await db.collection(collection).doc(threadId).get()).data();
    expect(stored?.expiresAt).toBeInstanceOf(Timestamp);
    expect((stored?.expiresAt as Timestamp).toMillis()).toBe(clock.now + TEST_POLICY.retentionMs);
  });

  it('when a step changes nothing, then nothing is written', async () => {
    const threadId = newThread();
    await store.apply(threadId, trigger(2));
    const before = (await db.collection(collection).doc(threadId).get()).updateTime;
    clock.now += 1_000;
    const busy = await store.apply(threadId, trigger(2));
    expect(busy.result.verdict.kind).toBe('in_progress');
    expect((await db.collection(collection).doc(threadId).get()).updateTime?.isEqual(before as Timestamp)).toBe(true);
  });

  it('when a lease expires unused, then the next trigger takes the thread over', async () => {
    const threadId = newThread();
    await store.apply(threadId, trigger(1));
    clock.now += TEST_POLICY.leaseMs + 1;
    const step = await store.apply(threadId, trigger(1));
    expect(step.result.verdict).toMatchObject({ kind: 'queued', takeover: true });
    expect(step.record?.attempts).toBe(2);
  });

  it('when there is no record, then get answers null and a fenced event writes nothing', async () => {
    const threadId = newThread();
    expect(await store.get(threadId)).toBeNull();
    expect((await store.apply(threadId, { type: 'released', leaseId: randomUUID() })).result.released).toBe(false);
    expect((await db.collection(collection).doc(threadId).get()).exists).toBe(false);
  });
});

describe('records written before versions (schema 1)', () => {
  const legacy = (fields: Record<string, unknown>) => ({
    threadId: 'x',
    attempts: 2,
    trigger: 'auto',
    missingInfo: [],
    degraded: false,
    safetyNetScheduled: true,
    createdAt: clock.now - 10_000,
    updatedAt: clock.now - 5_000,
    expiresAt: Timestamp.fromMillis(clock.now + 1e9),
    leaseId: null,
    leaseExpiresAt: null,
    sendLeaseId: null,
    sendStartedAt: null,
    sendUncertainty: null,
    sentAt: null,
    sesMessageId: null,
    cooldownUntil: null,
    lastEvaluatedAt: null,
    lastOutcome: null,
    ...fields,
  });
  const seed = async (fields: Record<string, unknown>) => {
    const threadId = newThread();
    await db.collection(collection).doc(threadId).set(legacy(fields));
    return threadId;
  };

  it('when an old open record said missing_contact, then its outcome is never reused: the next trigger evaluates', async () => {
    const threadId = await seed({ state: 'open', lastOutcome: 'missing_contact', lastEvaluatedAt: clock.now - 1_000 });
    expect((await store.apply(threadId, trigger(1))).result.verdict.kind).toBe('queued');
  });

  it('when an old record was sent, then it stays sent with its audit as history, and gets no follow-ups', async () => {
    const threadId = await seed({
      state: 'sent',
      sentAt: clock.now - 60_000,
      sesMessageId: 'ses-old',
      sendLeaseId: 'lease-old',
      audit: [
        {
          action: 'resend',
          at: Timestamp.fromMillis(clock.now - 90_000),
          by: 'ops',
          reason: 'bounce',
          previousSentAt: 1,
          previousMessageId: 'm0',
        },
      ],
    });
    const record = await store.get(threadId);
    expect(record?.lead).toMatchObject({ messageId: 'ses-old', sentAt: clock.now - 60_000 });
    expect(record?.history).toEqual([
      expect.objectContaining({ kind: 'resend', by: 'ops', reason: 'bounce', at: clock.now - 90_000, previousMessageId: 'm0' }),
    ]);
    expect((await store.apply(threadId, trigger(40))).result.verdict.kind).toBe('already_sent');
  });

  it('when an old lease had started sending and expired, then the next trigger settles it as sent (unconfirmed)', async () => {
    const threadId = await seed({
      state: 'leased',
      leaseId: 'l-old',
      leaseExpiresAt: clock.now - 1,
      sendLeaseId: 'l-old',
      sendStartedAt: clock.now - 700_000,
    });
    const step = await store.apply(threadId, trigger(3));
    expect(step.result).toMatchObject({ verdict: { kind: 'already_sent' }, settled: 'lead' });
    expect((await store.get(threadId))?.lead).toMatchObject({ uncertainty: 'task_interrupted', sentAt: clock.now - 700_000 });
    expect(Object.keys((await db.collection(collection).doc(threadId).get()).data() ?? {})).not.toContain('sendLeaseId');
  });

  it('when an old record was cooling down, then the cooldown holds', async () => {
    const threadId = await seed({ state: 'error', lastOutcome: 'failed', cooldownUntil: clock.now + 60_000 });
    expect((await store.apply(threadId, trigger(1))).result.verdict.kind).toBe('cooldown');
  });
});
