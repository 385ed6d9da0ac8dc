import { describe, expect, it } from 'vitest';
import { clearedForResend, newLeadRecord, type LeadRecord } from '../src/domain/lead-record.js';

const sent: LeadRecord = {
  ...newLeadRecord('cthr_resend', 1_000),
  state: 'sent',
  leaseId: 'lease-1',
  leaseExpiresAt: 9_000,
  trigger: 'pagehide',
  attempts: 3,
  lastOutcome: 'sent',
  missingInfo: ['vehicle year'],
  lastEvaluatedAt: 5_000,
  summaryFingerprint: 'fp-1',
  summaryHandoffReady: true,
  cooldownUntil: 7_000,
  sentAt: 5_000,
  sesMessageId: 'ses-1',
  degraded: true,
  sendLeaseId: 'lease-1',
  sendStartedAt: 4_900,
  sendUncertainty: 'ses_reply_lost',
  safetyNetScheduled: true,
  updatedAt: 5_000,
  expiresAt: 99_000,
};

describe('clearedForResend', () => {
  const cleared = clearedForResend(sent, 20_000);

  it.each([
    ['state', 'open'],
    ['leaseId', null],
    ['leaseExpiresAt', null],
    ['lastOutcome', null],
    ['lastEvaluatedAt', null],
    ['cooldownUntil', null],
    ['sentAt', null],
    ['sesMessageId', null],
    ['degraded', false],
    ['sendLeaseId', null],
    ['sendStartedAt', null],
    ['sendUncertainty', null],
    ['updatedAt', 20_000],
  ] as const)('when a sent record is cleared for a resend, then %s is %j (as a new record)', (field, value) => {
    expect(cleared[field]).toEqual(value);
  });

  it.each([
    'threadId',
    'trigger',
    'attempts',
    'missingInfo',
    'summaryFingerprint',
    'summaryHandoffReady',
    'safetyNetScheduled',
    'createdAt',
    'expiresAt',
  ] as const)('when a sent record is cleared for a resend, then %s is kept', (field) => {
    expect(cleared[field]).toEqual(sent[field]);
  });

  it('when cleared, then it has exactly the fields of a new record (nothing stale carried over)', () => {
    expect(Object.keys(cleared).sort()).toEqual(Object.keys(newLeadRecord('x', 0)).sort());
  });
});
