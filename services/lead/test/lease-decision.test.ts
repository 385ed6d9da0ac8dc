import { describe, expect, it } from 'vitest';
import { decideLease } from '../src/domain/lease-decision.js';
import { newLeadRecord, type LeadRecord, type Trigger } from '../src/domain/lead-record.js';

const NOW = 1_800_000_000_000;
const policy = { reevaluateAfterMs: 10_000 };

const record = (patch: Partial<LeadRecord>): LeadRecord => ({
  ...newLeadRecord('cthr_t', NOW - 60_000),
  attempts: 1,
  safetyNetScheduled: true,
  expiresAt: NOW + 1e9,
  ...patch,
});

describe('decideLease', () => {
  it.each<[string, LeadRecord | null, Trigger, ReturnType<typeof decideLease>]>([
    ['no record yet', null, 'auto', { kind: 'take', takeover: false }],
    [
      'already sent',
      record({ state: 'sent', sentAt: NOW - 5_000 }),
      'pagehide',
      { kind: 'refuse', refusal: { reason: 'already_sent', sentAt: NOW - 5_000 } },
    ],
    [
      'sent, even for the safety net',
      record({ state: 'sent', sentAt: NOW }),
      'safety_net',
      { kind: 'refuse', refusal: { reason: 'already_sent', sentAt: NOW } },
    ],
    [
      'a live lease',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW + 1 }),
      'idle',
      { kind: 'refuse', refusal: { reason: 'in_progress' } },
    ],
    [
      'a live auto lease, and the customer leaves',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW + 1, trigger: 'auto' }),
      'pagehide',
      { kind: 'upgrade', refusal: { reason: 'in_progress' } },
    ],
    [
      'a live auto lease, and another auto',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW + 1, trigger: 'auto' }),
      'auto',
      { kind: 'refuse', refusal: { reason: 'in_progress' } },
    ],
    [
      'a lease expiring exactly now',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW }),
      'idle',
      { kind: 'take', takeover: true },
    ],
    ['an expired lease', record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW - 1 }), 'auto', { kind: 'take', takeover: true }],
    [
      'an expired lease whose task started sending and never recorded it',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW - 1, sendLeaseId: 'l1', sendStartedAt: NOW - 700_000 }),
      'pagehide',
      { kind: 'settle_unconfirmed', refusal: { reason: 'already_sent', sentAt: NOW - 700_000 } },
    ],
    [
      'an expired lease whose task started sending, even for the safety net',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW - 1, sendLeaseId: 'l1', sendStartedAt: NOW - 700_000 }),
      'safety_net',
      { kind: 'settle_unconfirmed', refusal: { reason: 'already_sent', sentAt: NOW - 700_000 } },
    ],
    [
      "an expired lease with an older lease's send marker (that send was cancelled)",
      record({ state: 'leased', leaseId: 'l2', leaseExpiresAt: NOW - 1, sendLeaseId: 'l1', sendStartedAt: NOW - 700_000 }),
      'idle',
      { kind: 'take', takeover: true },
    ],
    [
      'a live lease whose task is sending',
      record({ state: 'leased', leaseId: 'l1', leaseExpiresAt: NOW + 1, sendLeaseId: 'l1', sendStartedAt: NOW - 1 }),
      'idle',
      { kind: 'refuse', refusal: { reason: 'in_progress' } },
    ],
    [
      'a failure cooling down',
      record({ state: 'error', cooldownUntil: NOW + 1000, lastOutcome: 'failed' }),
      'chat_closed',
      { kind: 'refuse', refusal: { reason: 'cooldown' } },
    ],
    [
      'a failure whose cooldown is over',
      record({ state: 'error', cooldownUntil: NOW - 1 }),
      'chat_closed',
      { kind: 'take', takeover: false },
    ],
    [
      'an operator resend during cooldown',
      record({ state: 'error', cooldownUntil: NOW + 1000 }),
      'resend',
      { kind: 'take', takeover: false },
    ],
    [
      'auto right after an auto found it not ready',
      record({ lastOutcome: 'not_ready', trigger: 'auto', lastEvaluatedAt: NOW - 2_000, missingInfo: ['vehicle'] }),
      'auto',
      { kind: 'refuse', refusal: { reason: 'not_ready', missingInfo: ['vehicle'] } },
    ],
    [
      'idle right after an idle found no contact',
      record({ lastOutcome: 'missing_contact', trigger: 'idle', lastEvaluatedAt: NOW - 2_000, missingInfo: ['phone number or email'] }),
      'pagehide',
      { kind: 'refuse', refusal: { reason: 'missing_contact', missingInfo: ['phone number or email'] } },
    ],
    [
      'idle right after an auto found it not ready (a stronger trigger)',
      record({ lastOutcome: 'not_ready', trigger: 'auto', lastEvaluatedAt: NOW - 2_000 }),
      'idle',
      { kind: 'take', takeover: false },
    ],
    [
      'auto after the re-evaluation window',
      record({ lastOutcome: 'not_ready', trigger: 'auto', lastEvaluatedAt: NOW - 10_000 }),
      'auto',
      { kind: 'take', takeover: false },
    ],
    [
      'the safety net right after a not-ready evaluation',
      record({ lastOutcome: 'not_ready', trigger: 'auto', lastEvaluatedAt: NOW - 1_000 }),
      'safety_net',
      { kind: 'take', takeover: false },
    ],
    [
      'an open record never evaluated (a released lease)',
      record({ lastOutcome: null, trigger: 'auto' }),
      'auto',
      { kind: 'take', takeover: false },
    ],
  ])('when the record is %s, then the decision matches', (_name, current, trigger, expected) => {
    expect(decideLease(current, trigger, NOW, policy)).toEqual(expected);
  });
});
