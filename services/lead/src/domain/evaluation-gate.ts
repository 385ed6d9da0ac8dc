import type { LeadSummary } from '@lead-intake/shared/api';
import { hasContact, type ExtractedContact } from './contact.js';
import type { CachedSummary } from './lead-record.js';

export type GateDecision =
  /** No contact: nothing to email, and no summary call (LLM cost gating). */
  | { kind: 'missing_contact'; missingInfo: string[] }
  /** This very transcript was summarized before: its summary is reused, no model call. */
  | { kind: 'cached'; summary: LeadSummary }
  | { kind: 'summarize' };

export const CONTACT_MISSING_INFO = 'phone number or email';

/** What to do with a fetched transcript before paying for a summary. */
export function gateEvaluation(input: { contact: ExtractedContact; fingerprint: string; cached: CachedSummary | null }): GateDecision {
  if (!hasContact(input.contact)) return { kind: 'missing_contact', missingInfo: [CONTACT_MISSING_INFO] };
  if (input.cached?.fingerprint === input.fingerprint) return { kind: 'cached', summary: input.cached.summary };
  return { kind: 'summarize' };
}
