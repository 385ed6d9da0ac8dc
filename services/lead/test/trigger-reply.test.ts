import { describe, expect, it } from 'vitest';
import { leadResponseSchema, type LeadResponse } from '@lead-intake/shared/api';
import type { TriggerVerdict } from '../src/domain/lead-machine.js';
import { newLeadRecord, type LeadRecord } from '../src/domain/lead-record.js';
import { triggerReply } from '../src/use-cases/trigger-lead.js';

const sent: LeadRecord = {
  ...newLeadRecord('cthr_reply', 0),
  lead: {
    leaseId: 'l0',
    sentAt: 1_800_000_000_999,
    messageId: 'm',
    uncertainty: null,
    version: 2,
    messageCount: 2,
    degraded: false,
    subject: 's',
    trigger: 'idle',
  },
};
const lease = {
  id: 'l1',
  purpose: 'lead',
  trigger: 'auto',
  version: 1,
  takenAt: 0,
  expiresAt: 1,
  dueAt: 0,
  pending: null,
  send: null,
} as const;

describe('the reply to a trigger', () => {
  it.each<[string, TriggerVerdict, LeadRecord | null, LeadResponse]>([
    ['a lease was taken', { kind: 'queued', purpose: 'lead', lease, takeover: false }, null, { ok: true, sent: false, reason: 'queued' }],
    [
      'a follow-up was queued after the lead email',
      { kind: 'queued', purpose: 'follow_up', lease: { ...lease, purpose: 'follow_up' }, takeover: false },
      sent,
      { ok: true, sent: true, reason: 'follow_up_queued', sent_at: 1_800_000_000 },
    ],
    [
      'already sent',
      { kind: 'already_sent', sentAt: 1_800_000_000_999 },
      sent,
      { ok: true, sent: true, reason: 'already_sent', sent_at: 1_800_000_000 },
    ],
    ['in progress, nothing sent yet', { kind: 'in_progress', leadSent: false }, null, { ok: true, sent: false, reason: 'in_progress' }],
    [
      'in progress, a follow-up of a sent lead',
      { kind: 'in_progress', leadSent: true },
      sent,
      { ok: true, sent: true, reason: 'in_progress', sent_at: 1_800_000_000 },
    ],
    ['cooling down', { kind: 'cooldown', leadSent: false }, null, { ok: true, sent: false, reason: 'cooldown' }],
    [
      'not ready, missing the vehicle',
      { kind: 'not_ready', missingInfo: ['vehicle'] },
      null,
      { ok: true, sent: false, reason: 'not_ready', missing_info: ['vehicle'] },
    ],
    ['not ready, nothing named missing', { kind: 'not_ready', missingInfo: [] }, null, { ok: true, sent: false, reason: 'not_ready' }],
    [
      'missing the contact',
      { kind: 'missing_contact', missingInfo: ['phone or email'] },
      null,
      { ok: true, sent: false, reason: 'missing_contact', missing_info: ['phone or email'] },
    ],
  ])("when the record says %s, then the reply is the contract's", (_name, verdict, record, expected) => {
    const reply = triggerReply(verdict, record);
    expect(reply).toEqual(expected);
    expect(leadResponseSchema.strict().parse(reply)).toEqual(expected);
  });
});
