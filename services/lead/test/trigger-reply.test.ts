import { describe, expect, it } from 'vitest';
import { leadResponseSchema, type LeadResponse } from '@lead-intake/shared/api';
import type { LeaseRefusal } from '../src/domain/lease-decision.js';
import { refusedReply } from '../src/use-cases/trigger-lead.js';

describe('the reply to a trigger that took no lease', () => {
  it.each<[string, LeaseRefusal, LeadResponse]>([
    [
      'already sent at a known time',
      { reason: 'already_sent', sentAt: 1_800_000_000_999 },
      { ok: true, sent: true, reason: 'already_sent', sent_at: 1_800_000_000 },
    ],
    ['already sent at an unknown time', { reason: 'already_sent', sentAt: null }, { ok: true, sent: true, reason: 'already_sent' }],
    ['in progress', { reason: 'in_progress' }, { ok: true, sent: false, reason: 'in_progress' }],
    ['cooling down', { reason: 'cooldown' }, { ok: true, sent: false, reason: 'cooldown' }],
    [
      'not ready, missing the vehicle',
      { reason: 'not_ready', missingInfo: ['vehicle'] },
      { ok: true, sent: false, reason: 'not_ready', missing_info: ['vehicle'] },
    ],
    ['not ready, nothing named missing', { reason: 'not_ready', missingInfo: [] }, { ok: true, sent: false, reason: 'not_ready' }],
    [
      'missing the contact',
      { reason: 'missing_contact', missingInfo: ['phone or email'] },
      { ok: true, sent: false, reason: 'missing_contact', missing_info: ['phone or email'] },
    ],
  ])("when the record says %s, then the reply is the contract's", (_name, refusal, expected) => {
    const reply = refusedReply(refusal);
    expect(reply).toEqual(expected);
    expect(leadResponseSchema.strict().parse(reply)).toEqual(expected);
  });
});
