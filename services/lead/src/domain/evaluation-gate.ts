import { hasContact, type ExtractedContact } from './contact.js';
import { isAutoTrigger, type LeadRecord, type Trigger } from './lead-record.js';

export type GateDecision =
  /** No contact: nothing to email, and no summary call (LLM cost gating). */
  | { kind: 'missing_contact'; missingInfo: string[] }
  /** `auto` on a transcript already summarized as not ready: answer that again, no summary call. */
  | { kind: 'not_ready_unchanged'; missingInfo: string[] }
  | { kind: 'summarize' };

export const CONTACT_MISSING_INFO = 'phone number or email';

/** What to do with a fetched transcript before paying for a summary. */
export function gateEvaluation(input: {
  trigger: Trigger;
  contact: ExtractedContact;
  fingerprint: string;
  record: Pick<LeadRecord, 'summaryFingerprint' | 'summaryHandoffReady' | 'missingInfo'> | null;
}): GateDecision {
  if (!hasContact(input.contact)) return { kind: 'missing_contact', missingInfo: [CONTACT_MISSING_INFO] };
  const unchanged = input.record?.summaryFingerprint === input.fingerprint;
  if (isAutoTrigger(input.trigger) && unchanged && input.record?.summaryHandoffReady === false) {
    return { kind: 'not_ready_unchanged', missingInfo: input.record.missingInfo };
  }
  return { kind: 'summarize' };
}

/** After the summary: `auto` emails only when handoff_ready; the other triggers email on contact. */
export const shouldSend = (trigger: Trigger, handoffReady: boolean): boolean => !isAutoTrigger(trigger) || handoffReady;
