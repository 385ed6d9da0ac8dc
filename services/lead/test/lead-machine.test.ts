import { describe, expect, it } from 'vitest';
import type { LeadSummary } from '@lead-intake/shared/api';
import { applyLeadEvent, followUpDueAt, type LeadEvent, type LeadPolicy, type LeadStep } from '../src/domain/lead-machine.js';
import { newLeadRecord, stateOf, type Lease, type LeadRecord, type Trigger } from '../src/domain/lead-record.js';

const T = 'cthr_machine';
const NOW = 1_800_000_000_000;
const policy: LeadPolicy = { leaseMs: 600_000, cooldownMs: 300_000, retentionMs: 86_400_000, autoDelayMs: 5_000, followUpWindowMs: 60_000 };
const apply = <E extends LeadEvent>(record: LeadRecord | null, event: E, now = NOW) => applyLeadEvent(T, record, event, now, policy);
type TriggerEvent = Extract<LeadEvent, { type: 'trigger' }>;
const trigger = (kind: Trigger, version: number, leaseId = 'new-lease'): TriggerEvent => ({
  type: 'trigger',
  trigger: kind,
  version,
  leaseId,
});
const summary = (ready: boolean): LeadSummary =>
  ({ handoff_ready: ready, missing_info: ready ? [] : ['vehicle'] }) as unknown as LeadSummary;

const base = (patch: Partial<LeadRecord> = {}): LeadRecord => ({
  ...newLeadRecord(T, NOW - 60_000),
  attempts: 1,
  safetyNetScheduled: true,
  ...patch,
});
const lease = (patch: Partial<Lease> = {}): Lease => ({
  id: 'l1',
  purpose: 'lead',
  trigger: 'auto',
  version: 2,
  takenAt: NOW - 1_000,
  expiresAt: NOW + 10_000,
  dueAt: NOW + 4_000,
  pending: null,
  send: null,
  ...patch,
});
const sentLead = (patch: Partial<LeadRecord> = {}): LeadRecord =>
  base({
    lead: {
      leaseId: 'l0',
      sentAt: NOW - 120_000,
      messageId: 'ses-0',
      uncertainty: null,
      version: 3,
      messageCount: 3,
      degraded: false,
      subject: 'New lead: Ana – sofa (cthr_machine)',
      trigger: 'pagehide',
    },
    reported: { version: 3, messageIds: ['u1', 'u2', 'u3'] },
    ...patch,
  });

/** Table rows `[name, record, trigger, answer]` with the answer second, for the test name. */
const answersFirst = <R>(rows: Array<[string, R, TriggerEvent, string]>) =>
  rows.map(([name, record, event, expected]) => [name, expected, record, event] as [string, string, R, TriggerEvent]);

const verdictOf = (record: LeadRecord | null, event: TriggerEvent, now = NOW) => apply(record, event, now).result.verdict;

describe('a trigger', () => {
  it.each(
    answersFirst<LeadRecord | null>([
      ['the first one', null, trigger('auto', 1), 'queued'],
      ['a live lease', base({ lease: lease() }), trigger('auto', 2), 'in_progress'],
      ['an expired lease (its task stopped)', base({ lease: lease({ expiresAt: NOW }) }), trigger('idle', 2), 'queued'],
      [
        'in cooldown after a final failure',
        base({ failure: { at: NOW, purpose: 'lead', cooldownUntil: NOW + 1 } }),
        trigger('pagehide', 2),
        'cooldown',
      ],
      [
        'an operator resend, in cooldown',
        base({ failure: { at: NOW, purpose: 'lead', cooldownUntil: NOW + 1 } }),
        trigger('resend', 2),
        'queued',
      ],
      ['after the cooldown', base({ failure: { at: NOW, purpose: 'lead', cooldownUntil: NOW } }), trigger('pagehide', 2), 'queued'],
    ]),
  )('when %s, then it answers %s', (_name, expected, record, event) => {
    expect(verdictOf(record, event).kind).toBe(expected);
  });

  it('when the first trigger takes a lease, then its task and the safety net are scheduled, auto after the auto delay', () => {
    const step = apply(newLeadRecord(T, NOW), trigger('auto', 1));
    expect(step.result.effects).toEqual([
      { type: 'run_task', leaseId: 'new-lease', purpose: 'lead', trigger: 'auto', delayMs: 5_000 },
      { type: 'schedule_safety_net' },
    ]);
    expect(step.record?.lease).toMatchObject({
      id: 'new-lease',
      purpose: 'lead',
      version: 1,
      expiresAt: NOW + 600_000,
      dueAt: NOW + 5_000,
    });
    expect(step.record?.attempts).toBe(1);
    expect(step.record?.history).toEqual([
      { at: NOW, kind: 'lease', purpose: 'lead', trigger: 'auto', version: 1, dueAt: NOW + 5_000, replaced: null },
    ]);
  });

  it('when the customer leaves, then the lease task runs at once', () => {
    const step = apply(base(), trigger('pagehide', 1));
    expect(step.result.effects).toEqual([{ type: 'run_task', leaseId: 'new-lease', purpose: 'lead', trigger: 'pagehide', delayMs: 0 }]);
  });

  describe('an outcome belongs to the version it read', () => {
    const notReady = (version: number, by: Trigger) =>
      base({ lastOutcome: { outcome: 'not_ready', version, trigger: by, at: NOW - 1_000, missingInfo: ['vehicle'] } });
    const noContact = (version: number) =>
      base({
        lastOutcome: { outcome: 'missing_contact', version, trigger: 'auto', at: NOW - 1_000, missingInfo: ['phone number or email'] },
      });

    it.each(
      answersFirst<LeadRecord>([
        [
          'missing contact, same version, a stronger trigger (contact does not depend on it)',
          noContact(2),
          trigger('chat_closed', 2),
          'missing_contact',
        ],
        ['missing contact, a newer version (the reload case: the number came after)', noContact(1), trigger('chat_closed', 2), 'queued'],
        ['missing contact, same version, the safety net', noContact(2), trigger('safety_net', 2), 'missing_contact'],
        ['missing contact, same version, an operator resend', noContact(2), trigger('resend', 2), 'queued'],
        ['not ready (auto), same version, another auto', notReady(2, 'auto'), trigger('auto', 2), 'not_ready'],
        [
          'not ready (auto), same version, the customer leaves (emails on contact alone)',
          notReady(2, 'auto'),
          trigger('pagehide', 2),
          'queued',
        ],
        ['not ready (auto), a newer version, auto', notReady(2, 'auto'), trigger('auto', 3), 'queued'],
        ['not ready, a version older than the one evaluated (a stale read)', notReady(3, 'auto'), trigger('auto', 2), 'not_ready'],
      ]),
    )('when %s, then it answers %s, at any time later', (_name, expected, record, event) => {
      // No time limit: an unchanged version keeps its outcome, a newer one is always evaluated.
      for (const later of [0, 60_000, 30 * 60_000, 24 * 3_600_000]) {
        expect(verdictOf(record, event, NOW + later).kind).toBe(expected);
      }
    });

    it('when an outcome is reused, then nothing is written', () => {
      const record = noContact(2);
      expect(apply(record, trigger('idle', 2)).record).toBe(record);
    });
  });

  describe('while a lease is live', () => {
    it('when the customer leaves while an auto evaluation waits, then its trigger is raised and only its own task is scheduled again', () => {
      const step = apply(base({ lease: lease() }), trigger('pagehide', 2));
      expect(step.result.verdict).toEqual({ kind: 'in_progress', leadSent: false });
      expect(step.record?.lease).toMatchObject({ id: 'l1', trigger: 'pagehide' });
      // The same task (its name derives from the lease): a no-op unless the lease's write landed unheard.
      expect(step.result.effects).toEqual([{ type: 'run_task', leaseId: 'l1', purpose: 'lead', trigger: 'auto', delayMs: 4_000 }]);
      expect(step.record?.history.at(-1)).toEqual({ at: NOW, kind: 'upgraded', trigger: 'pagehide' });
    });

    it('when the lease is already sending, then its trigger stays', () => {
      const sending = lease({ send: { sendId: 's1', startedAt: NOW, version: 2, messageIds: ['u1'], degraded: false, subject: 's' } });
      expect(apply(base({ lease: sending }), trigger('pagehide', 2)).record?.lease?.trigger).toBe('auto');
    });

    it('when a newer version comes while the lease is busy, then it is kept as pending; an equal one changes nothing', () => {
      const record = base({ lease: lease({ trigger: 'idle' }) });
      expect(apply(record, trigger('idle', 2)).record).toBe(record);
      expect(apply(record, trigger('auto', 3)).record?.lease?.pending).toEqual({ version: 3, trigger: 'auto' });
    });

    it('when the lease ends with an outcome for an older version than a pending trigger, then that trigger takes a new lease at once', () => {
      const busy = base({ lease: lease({ trigger: 'auto', pending: { version: 3, trigger: 'chat_closed' } }) });
      const step = apply(busy, {
        type: 'evaluated',
        leaseId: 'l1',
        version: 2,
        outcome: 'missing_contact',
        missingInfo: [],
        nextLeaseId: 'l2',
      });
      expect(step.record?.lastOutcome).toMatchObject({ outcome: 'missing_contact', version: 2 });
      expect(step.record?.lease).toMatchObject({ id: 'l2', trigger: 'chat_closed', version: 3 });
      expect(step.result.effects).toEqual([{ type: 'run_task', leaseId: 'l2', purpose: 'lead', trigger: 'chat_closed', delayMs: 0 }]);
    });

    it('when the pending version is the one just evaluated, then no new lease', () => {
      const busy = base({ lease: lease({ pending: { version: 2, trigger: 'auto' } }) });
      const step = apply(busy, {
        type: 'evaluated',
        leaseId: 'l1',
        version: 2,
        outcome: 'missing_contact',
        missingInfo: [],
        nextLeaseId: 'l2',
      });
      expect(step.record?.lease).toBeNull();
      expect(step.result.effects).toEqual([]);
    });
  });

  it('when the lease was taken but its safety net never scheduled (the write landed unheard), then a busy trigger schedules both again', () => {
    const step = apply(base({ lease: lease({ trigger: 'pagehide' }), safetyNetScheduled: false }), trigger('auto', 2));
    expect(step.result.effects).toEqual([
      { type: 'run_task', leaseId: 'l1', purpose: 'lead', trigger: 'pagehide', delayMs: 4_000 },
      { type: 'schedule_safety_net' },
    ]);
  });

  it('when an expired lease had started sending, then it settles as sent (unconfirmed) and the trigger refuses: never sent again', () => {
    const started = lease({
      expiresAt: NOW - 1,
      send: { sendId: 's1', startedAt: NOW - 700_000, version: 2, messageIds: ['u1', 'u2'], degraded: false, subject: 'S' },
    });
    const step = apply(base({ lease: started }), trigger('pagehide', 2));
    expect(step.result).toMatchObject({ verdict: { kind: 'already_sent', sentAt: NOW - 700_000 }, settled: 'lead', effects: [] });
    expect(step.record?.lead).toMatchObject({ leaseId: 'l1', uncertainty: 'task_interrupted', messageId: null, subject: 'S' });
    expect(step.record?.reported).toEqual({ version: 2, messageIds: ['u1', 'u2'] });
    expect(stateOf(step.record as LeadRecord, NOW)).toBe('sent');
  });
});

describe('the lead evaluation', () => {
  const leased = (trigger: Trigger) => base({ lease: lease({ trigger }) });
  const summarized = (record: LeadRecord, ready: boolean) =>
    apply(record, { type: 'summarized', leaseId: 'l1', version: 2, fingerprint: 'fp', summary: summary(ready), nextLeaseId: 'l2' });

  it.each<[Trigger, boolean, string]>([
    ['auto', true, 'send'],
    ['auto', false, 'not_ready'],
    ['pagehide', false, 'send'],
    ['chat_closed', false, 'send'],
    ['safety_net', false, 'send'],
  ])('when the lease trigger is %s and handoff_ready %s, then the summary says %s', (by, ready, expected) => {
    expect(summarized(leased(by), ready).result.verdict).toBe(expected);
  });

  it('when the summary is not ready, then the lease ends with not_ready for that version, the summary cached', () => {
    const step = summarized(leased('auto'), false);
    expect(step.record).toMatchObject({
      lease: null,
      lastOutcome: { outcome: 'not_ready', version: 2, trigger: 'auto', missingInfo: ['vehicle'] },
      summary: { fingerprint: 'fp', version: 2 },
    });
  });

  it('when another task holds the lease, then the summary is lease_lost and nothing changes', () => {
    const record = base({ lease: lease({ id: 'other' }) });
    const step = summarized(record, true);
    expect(step.result.verdict).toBe('lease_lost');
    expect(step.record).toBe(record);
  });
});

describe('sending', () => {
  const send: Extract<LeadEvent, { type: 'send_started' }> = {
    type: 'send_started',
    leaseId: 'l1',
    sendId: 's1',
    version: 2,
    messageIds: ['u1', 'u2'],
    degraded: false,
    subject: 'New lead: Ana',
  };

  it('when a lease starts sending, then the marker is written and the lease extended; a second start is already_started', () => {
    const first = apply(base({ lease: lease() }), send);
    expect(first.result.verdict).toBe('started');
    expect(first.record?.lease).toMatchObject({
      expiresAt: NOW + 600_000,
      send: { sendId: 's1', startedAt: NOW, version: 2, messageIds: ['u1', 'u2'] },
    });
    expect(apply(first.record, send).result.verdict).toBe('already_started');
  });

  it('when another lease id starts sending, then lease_lost', () => {
    expect(apply(base({ lease: lease({ id: 'other' }) }), send).result.verdict).toBe('lease_lost');
  });

  it('when SES took nothing and the marker is withdrawn, then the same lease may start again', () => {
    const started = apply(base({ lease: lease() }), send).record;
    // Another attempt of the same lease (a duplicate delivery) cannot take this attempt's marker back.
    expect(apply(started, { type: 'send_cancelled', leaseId: 'l1', sendId: 'other-attempt' }).result.cancelled).toBe(false);
    const cancelled = apply(started, { type: 'send_cancelled', leaseId: 'l1', sendId: 's1' });
    expect(cancelled.result.cancelled).toBe(true);
    expect(apply(cancelled.record, send).result.verdict).toBe('started');
  });

  it('when the lead email is sent, then it is recorded with what it carried, and the summary cache and outcome go', () => {
    const started = apply(
      base({
        lease: lease(),
        summary: { fingerprint: 'fp', version: 2, summary: summary(true) },
        lastOutcome: { outcome: 'not_ready', version: 1, trigger: 'auto', at: 0, missingInfo: [] },
      }),
      send,
    ).record;
    const step = apply(started, { type: 'sent', leaseId: 'l1', messageId: 'ses-1', uncertainty: null, nextLeaseId: 'l2' }, NOW + 500);
    expect(step.result.recorded).toBe('recorded');
    expect(step.record).toMatchObject({
      lease: null,
      summary: null,
      lastOutcome: null,
      lead: {
        leaseId: 'l1',
        sentAt: NOW + 500,
        messageId: 'ses-1',
        uncertainty: null,
        version: 2,
        messageCount: 2,
        subject: 'New lead: Ana',
      },
      reported: { version: 2, messageIds: ['u1', 'u2'] },
    });
    expect(stateOf(step.record as LeadRecord, NOW + 500)).toBe('sent');
  });

  it('when an unconfirmed send is confirmed later by its lease, then the message id is recorded; another lease cannot', () => {
    const started = apply(base({ lease: lease() }), send).record;
    const unconfirmed = apply(started, {
      type: 'sent',
      leaseId: 'l1',
      messageId: null,
      uncertainty: 'ses_reply_lost',
      nextLeaseId: 'x',
    }).record;
    expect(unconfirmed?.lead).toMatchObject({ messageId: null, uncertainty: 'ses_reply_lost' });
    expect(
      apply(unconfirmed, { type: 'sent', leaseId: 'other', messageId: 'm', uncertainty: null, nextLeaseId: 'x' }).result.recorded,
    ).toBe('stale');
    const confirmed = apply(unconfirmed, { type: 'sent', leaseId: 'l1', messageId: 'ses-late', uncertainty: null, nextLeaseId: 'x' });
    expect(confirmed.result.recorded).toBe('confirmed');
    expect(confirmed.record?.lead).toMatchObject({ messageId: 'ses-late', uncertainty: null });
    expect(
      apply(confirmed.record, { type: 'sent', leaseId: 'l1', messageId: 'ses-late', uncertainty: null, nextLeaseId: 'x' }).result.recorded,
    ).toBe('already');
  });

  it('when a send fails for good, then the lease ends in a cooldown and the marker goes with it', () => {
    const started = apply(base({ lease: lease() }), send).record;
    const step = apply(started, { type: 'failed', leaseId: 'l1' });
    expect(step.record).toMatchObject({ lease: null, failure: { purpose: 'lead', cooldownUntil: NOW + 300_000 } });
    expect(stateOf(step.record as LeadRecord, NOW)).toBe('error');
    expect(verdictOf(step.record, trigger('idle', 2), NOW + 300_000)).toMatchObject({ kind: 'queued' });
  });

  it('when a final failure happens, then the server retries after the cooldown, up to three times, then stops (an operator is alerted)', () => {
    let record: LeadRecord | null = base();
    const retries: unknown[] = [];
    for (let i = 1; i <= 4; i += 1) {
      record = apply(record, trigger('pagehide', 2, `f${i}`), NOW + i * 1_000_000).record;
      const failed: LeadEvent = { type: 'failed', leaseId: `f${i}` };
      const step: LeadStep<Extract<LeadEvent, { type: 'failed' }>> = applyLeadEvent(
        T,
        record,
        failed as Extract<LeadEvent, { type: 'failed' }>,
        NOW + i * 1_000_000,
        policy,
      );
      retries.push(step.result.retrying ? step.result.effects : 'no retry');
      record = step.record;
    }
    expect(retries).toEqual([
      [{ type: 'schedule_safety_net', retry: { attempt: 1, delayMs: 300_000 } }],
      [{ type: 'schedule_safety_net', retry: { attempt: 2, delayMs: 300_000 } }],
      [{ type: 'schedule_safety_net', retry: { attempt: 3, delayMs: 300_000 } }],
      'no retry',
    ]);
    expect(record?.failures).toBe(4);
  });

  it('when a lease whose task could not be scheduled is released, then the next trigger takes the thread at once', () => {
    const step = apply(base({ lease: lease() }), { type: 'released', leaseId: 'l1' });
    expect(step.record?.lease).toBeNull();
    expect(verdictOf(step.record, trigger('auto', 2))).toMatchObject({ kind: 'queued' });
  });
});

describe('after the lead email', () => {
  it.each<[string, number, string]>([
    ['nothing new (same version)', 3, 'already_sent'],
    ['an older version', 2, 'already_sent'],
    ['a newer version (the customer wrote again)', 4, 'queued'],
  ])('when a trigger comes for %s, then it answers %s', (_name, version, expected) => {
    expect(verdictOf(sentLead(), trigger('auto', version)).kind).toBe(expected);
  });

  it('when the customer writes again while chatting, then an auto follow-up waits a window', () => {
    const step = apply(sentLead(), trigger('auto', 4));
    expect(step.record?.lease).toMatchObject({ purpose: 'follow_up', version: 4, dueAt: NOW + 60_000 });
    expect(step.result.effects).toEqual([
      { type: 'run_task', leaseId: 'new-lease', purpose: 'follow_up', trigger: 'auto', delayMs: 60_000 },
    ]);
  });

  it('when the customer then leaves, then the waiting follow-up is replaced by one due now', () => {
    const waiting = apply(sentLead(), trigger('auto', 4, 'f1')).record;
    const step = apply(waiting, trigger('pagehide', 4, 'f2'), NOW + 10_000);
    expect(step.result.verdict).toMatchObject({ kind: 'queued', purpose: 'follow_up' });
    expect(step.record?.lease).toMatchObject({ id: 'f2', dueAt: NOW + 10_000 });
    expect(step.record?.history.at(-1)).toMatchObject({ kind: 'lease', replaced: 'waiting' });
  });

  it('when a follow-up went out less than a window ago, then the next one waits for the window even if the customer leaves', () => {
    const last = {
      leaseId: 'f0',
      sentAt: NOW - 20_000,
      messageId: 'ses-f0',
      uncertainty: null,
      version: 4,
      messageCount: 1,
      degraded: false,
      subject: 'Re: x',
      trigger: 'idle' as const,
    };
    const record = sentLead({ followUps: { count: 1, last }, reported: { version: 4, messageIds: ['u1', 'u2', 'u3', 'u4'] } });
    expect(followUpDueAt('pagehide', record, NOW, policy.followUpWindowMs)).toBe(NOW + 40_000);
    expect(followUpDueAt('auto', record, NOW, policy.followUpWindowMs)).toBe(NOW + 60_000);
    expect(apply(record, trigger('chat_closed', 5)).record?.lease?.dueAt).toBe(NOW + 40_000);
  });

  it('when the follow-up is sent, then what it carried is reported, counted, and the next trigger of that version is already_sent', () => {
    const leased = apply(sentLead(), trigger('pagehide', 5, 'f1')).record;
    const started = apply(leased, {
      type: 'send_started',
      leaseId: 'f1',
      sendId: 'sf',
      version: 5,
      messageIds: ['u4', 'u5'],
      degraded: false,
      subject: 'Re: x',
    }).record;
    const step = apply(started, { type: 'sent', leaseId: 'f1', messageId: 'ses-f1', uncertainty: null, nextLeaseId: 'x' }, NOW + 1_000);
    expect(step.record).toMatchObject({
      lead: { messageId: 'ses-0' },
      followUps: { count: 1, last: { leaseId: 'f1', messageId: 'ses-f1', messageCount: 2, sentAt: NOW + 1_000 } },
      reported: { version: 5, messageIds: ['u1', 'u2', 'u3', 'u4', 'u5'] },
    });
    expect(verdictOf(step.record, trigger('auto', 5))).toMatchObject({ kind: 'already_sent' });
  });

  it('when a follow-up lease finds nothing new, then the version counts as reported', () => {
    const leased = apply(sentLead(), trigger('auto', 4, 'f1')).record;
    const step = apply(leased, { type: 'evaluated', leaseId: 'f1', version: 4, outcome: 'nothing_new', missingInfo: [], nextLeaseId: 'x' });
    expect(step.record).toMatchObject({ lease: null, reported: { version: 4 } });
  });

  it('when the lead email is sent while a newer version waited, then a follow-up lease is taken', () => {
    const sending = lease({
      trigger: 'pagehide',
      pending: { version: 3, trigger: 'auto' },
      send: { sendId: 's1', startedAt: NOW, version: 2, messageIds: ['u1', 'u2'], degraded: false, subject: 'S' },
    });
    const step = apply(base({ lease: sending }), { type: 'sent', leaseId: 'l1', messageId: 'ses-1', uncertainty: null, nextLeaseId: 'f1' });
    expect(step.record?.lease).toMatchObject({ id: 'f1', purpose: 'follow_up', version: 3, dueAt: NOW + 60_000 });
    expect(step.result.effects).toEqual([{ type: 'run_task', leaseId: 'f1', purpose: 'follow_up', trigger: 'auto', delayMs: 60_000 }]);
  });
});

describe('an operator resend', () => {
  it('when a sent record is resent, then the sent state is cleared with an audit entry and a resend trigger takes a lease', () => {
    const step = apply(sentLead(), { type: 'resend', by: 'ops', reason: 'never arrived' }, NOW + 5);
    expect(step.result.found).toBe(true);
    expect(step.record).toMatchObject({
      lead: null,
      lease: null,
      lastOutcome: null,
      failure: null,
      reported: { version: 0, messageIds: [] },
    });
    expect(step.record?.history.at(-1)).toEqual({
      at: NOW + 5,
      kind: 'resend',
      by: 'ops',
      reason: 'never arrived',
      previousSentAt: NOW - 120_000,
      previousMessageId: 'ses-0',
      previousUncertainty: null,
    });
    expect(verdictOf(step.record, trigger('resend', 3))).toMatchObject({ kind: 'queued', purpose: 'lead' });
  });

  it('when there is no record, then nothing is found', () => {
    expect(apply(null, { type: 'resend', by: 'ops', reason: 'x' })).toEqual({ record: null, result: { found: false, effects: [] } });
  });
});

describe('bookkeeping', () => {
  it('when a record changes, then its expiry moves with it; the history keeps the newest entries', () => {
    let record: LeadRecord | null = null;
    for (let i = 0; i < 120; i += 1) {
      record = apply(record, trigger('pagehide', i + 1, `l${i}`), NOW + i).record;
      record = apply(record, { type: 'released', leaseId: `l${i}` }, NOW + i).record;
    }
    expect(record?.expiresAt).toBe(NOW + 119 + policy.retentionMs);
    expect(record?.history).toHaveLength(100);
    expect(record?.historyDropped).toBe(140);
    expect(record?.history.at(-1)).toMatchObject({ kind: 'released', at: NOW + 119 });
  });
});
