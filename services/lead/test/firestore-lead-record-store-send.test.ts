/** The lead record store's send marker on the local Firestore: what keeps a lease from sending twice. */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { localLeadRecordStore } from './support/lead-record-store.js';

const { db, store, clock } = localLeadRecordStore();
afterAll(async () => {
  await db.terminate();
});

const leased = async () => {
  const threadId = `cthr_send_${randomUUID().slice(0, 8)}`;
  const lease = await store.acquire(threadId, 'idle');
  if (lease.kind !== 'acquired') throw new Error('no lease');
  return { threadId, leaseId: lease.leaseId };
};

describe('FirestoreLeadRecordStore send marker', () => {
  it('when a lease starts sending twice, then the second start is refused as already started', async () => {
    const { threadId, leaseId } = await leased();
    expect(await store.startSend(threadId, leaseId, { degraded: false })).toBe('started');
    expect(await store.startSend(threadId, leaseId, { degraded: false })).toBe('already_started');
    expect(await store.get(threadId)).toMatchObject({ state: 'leased', sendLeaseId: leaseId, sendStartedAt: clock.now });
  });

  it('when SES took nothing and the send is cancelled, then the same lease may start sending again', async () => {
    const { threadId, leaseId } = await leased();
    await store.startSend(threadId, leaseId, { degraded: false });
    expect(await store.cancelSend(threadId, leaseId)).toBe(true);
    expect(await store.startSend(threadId, leaseId, { degraded: false })).toBe('started');
  });

  it('when another lease id starts sending or marks sent, then it is refused', async () => {
    const { threadId, leaseId } = await leased();
    expect(await store.startSend(threadId, randomUUID(), { degraded: false })).toBe('lease_lost');
    await store.startSend(threadId, leaseId, { degraded: false });
    expect(await store.markSent(threadId, randomUUID(), { messageId: 'm-other', uncertainty: null })).toBe(false);
    expect((await store.get(threadId))?.state).toBe('leased');
  });

  it('when a send recorded as unconfirmed is later confirmed with its message id, then the record is sent and confirmed', async () => {
    const { threadId, leaseId } = await leased();
    await store.startSend(threadId, leaseId, { degraded: true });
    expect(await store.markSent(threadId, leaseId, { messageId: null, uncertainty: 'ses_reply_lost' })).toBe(true);
    expect(await store.get(threadId)).toMatchObject({
      state: 'sent',
      sesMessageId: null,
      sendUncertainty: 'ses_reply_lost',
      degraded: true,
    });
    expect(await store.markSent(threadId, leaseId, { messageId: 'm-1', uncertainty: null })).toBe(true);
    expect(await store.get(threadId)).toMatchObject({ state: 'sent', sesMessageId: 'm-1', sendUncertainty: null });
  });

  it('when a lease that started sending expires, then a new trigger takes no lease and the record settles as sent, unconfirmed', async () => {
    const { threadId, leaseId } = await leased();
    await store.startSend(threadId, leaseId, { degraded: false });
    const startedAt = clock.now;
    clock.now += 61_000;
    const answer = await store.acquire(threadId, 'pagehide');
    expect(answer).toEqual({
      kind: 'refused',
      refusal: { reason: 'already_sent', sentAt: startedAt },
      unconfirmedSendSettled: true,
    });
    expect(await store.get(threadId)).toMatchObject({
      state: 'sent',
      leaseId: null,
      sendUncertainty: 'task_interrupted',
      sentAt: startedAt,
    });
    // The task that was still sending gets its answer from SES after all: it confirms the record.
    expect(await store.markSent(threadId, leaseId, { messageId: 'm-late', uncertainty: null })).toBe(true);
    expect(await store.get(threadId)).toMatchObject({ sesMessageId: 'm-late', sendUncertainty: null });
  });

  it('when a send fails for good, then the marker is cleared and the next lease may send', async () => {
    const { threadId, leaseId } = await leased();
    await store.startSend(threadId, leaseId, { degraded: false });
    expect(await store.markFailed(threadId, leaseId)).toBe(true);
    clock.now += 61_000; // past the cooldown
    const next = await store.acquire(threadId, 'idle');
    if (next.kind !== 'acquired') throw new Error(`expected a new lease, got ${next.refusal.reason}`);
    expect(await store.startSend(threadId, next.leaseId, { degraded: false })).toBe('started');
  });
});
