import { describe, expect, it } from 'vitest';
import { CONTACT_MISSING_INFO, gateEvaluation, shouldSend } from '../src/domain/evaluation-gate.js';
import type { ExtractedContact } from '../src/domain/contact.js';
import type { Trigger } from '../src/domain/lead-record.js';

const withPhone: ExtractedContact = { emails: [], phones: ['+14085550199'] };
const none: ExtractedContact = { emails: [], phones: [] };
const summarizedNotReady = { summaryFingerprint: 'fp1', summaryHandoffReady: false, missingInfo: ['vehicle'] };

describe('gateEvaluation', () => {
  it.each<[string, Trigger, ExtractedContact, string, typeof summarizedNotReady | null, ReturnType<typeof gateEvaluation>]>([
    ['no contact on auto', 'auto', none, 'fp1', null, { kind: 'missing_contact', missingInfo: [CONTACT_MISSING_INFO] }],
    [
      'no contact on pagehide',
      'pagehide',
      none,
      'fp1',
      summarizedNotReady,
      { kind: 'missing_contact', missingInfo: [CONTACT_MISSING_INFO] },
    ],
    ['contact, never summarized', 'auto', withPhone, 'fp1', null, { kind: 'summarize' }],
    [
      'contact, auto, transcript unchanged since a not-ready summary',
      'auto',
      withPhone,
      'fp1',
      summarizedNotReady,
      { kind: 'not_ready_unchanged', missingInfo: ['vehicle'] },
    ],
    ['contact, auto, transcript changed', 'auto', withPhone, 'fp2', summarizedNotReady, { kind: 'summarize' }],
    ['contact, idle, transcript unchanged (idle sends on contact)', 'idle', withPhone, 'fp1', summarizedNotReady, { kind: 'summarize' }],
    ['contact, safety net, unchanged', 'safety_net', withPhone, 'fp1', summarizedNotReady, { kind: 'summarize' }],
  ])('when %s, then the gate decides as expected', (_name, trigger, contact, fingerprint, record, expected) => {
    expect(gateEvaluation({ trigger, contact, fingerprint, record })).toEqual(expected);
  });
});

describe('shouldSend', () => {
  it.each<[Trigger, boolean, boolean]>([
    ['auto', false, false],
    ['auto', true, true],
    ['idle', false, true],
    ['pagehide', false, true],
    ['chat_closed', false, true],
    ['safety_net', false, true],
    ['resend', false, true],
  ])('when the trigger is %s and handoff_ready is %s, then send is %s', (trigger, ready, expected) => {
    expect(shouldSend(trigger, ready)).toBe(expected);
  });
});
