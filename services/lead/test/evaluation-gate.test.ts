import { describe, expect, it } from 'vitest';
import type { LeadSummary } from '@lead-intake/shared/api';
import { CONTACT_MISSING_INFO, gateEvaluation } from '../src/domain/evaluation-gate.js';
import type { ExtractedContact } from '../src/domain/contact.js';
import { shouldSend, type CachedSummary, type Trigger } from '../src/domain/lead-record.js';

const withPhone: ExtractedContact = { emails: [], phones: ['+14085550199'] };
const withEmail: ExtractedContact = { emails: ['ana@example.com'], phones: [] };
const none: ExtractedContact = { emails: [], phones: [] };
const summary = { handoff_ready: false, missing_info: ['vehicle'] } as LeadSummary;
const cachedFp1: CachedSummary = { fingerprint: 'fp1', version: 2, summary };

describe('gateEvaluation', () => {
  it.each<[string, ExtractedContact, string, CachedSummary | null, ReturnType<typeof gateEvaluation>]>([
    ['no contact, nothing cached', none, 'fp1', null, { kind: 'missing_contact', missingInfo: [CONTACT_MISSING_INFO] }],
    [
      'no contact, a summary of this transcript cached',
      none,
      'fp1',
      cachedFp1,
      { kind: 'missing_contact', missingInfo: [CONTACT_MISSING_INFO] },
    ],
    ['a phone, never summarized', withPhone, 'fp1', null, { kind: 'summarize' }],
    ['an email, never summarized', withEmail, 'fp1', null, { kind: 'summarize' }],
    ['contact, this very transcript summarized before', withPhone, 'fp1', cachedFp1, { kind: 'cached', summary }],
    ['contact, the transcript changed since the summary', withPhone, 'fp2', cachedFp1, { kind: 'summarize' }],
  ])('when %s, then the gate decides as expected', (_name, contact, fingerprint, cached, expected) => {
    expect(gateEvaluation({ contact, fingerprint, cached })).toEqual(expected);
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
