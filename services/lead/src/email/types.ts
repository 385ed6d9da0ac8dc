import type { ShopProfile } from '@lead-intake/shared';
import type { ExtractedContact } from '../domain/contact.js';
import type { Trigger } from '../domain/lead-record.js';
import type { LeadSummary } from '@lead-intake/shared/api';
import type { Transcript } from '../domain/transcript.js';

/** Why the email is being sent (the browser trigger, the server's safety net, or a manual resend). */
export type LeadEmailTrigger = Trigger;

export interface LeadEmailInput {
  shop: ShopProfile;
  threadId: string;
  transcript: Transcript;
  contact: ExtractedContact;
  /** null => degraded email: banner, contact and transcript, no AI sections. */
  summary: LeadSummary | null;
  /** Shown in the degraded banner. Our own words for the shop, never an upstream error body. */
  degradedReason?: string;
  pageUrl: string | null;
  trigger: LeadEmailTrigger;
  /** The page locale the chat ran in. */
  locale: string | null;
  /** Language of the shop-facing labels, e.g. 'en' or 'es' (unknown => English). */
  shopLanguage: string;
  /** `CONVERSATION_URL_TEMPLATE`: the operator's page for the thread, `{threadId}` filled in; unset → no link. */
  conversationUrlTemplate?: string | undefined;
}

export interface RenderedEmail {
  /** One line (no CR/LF/control characters), at most {@link SUBJECT_MAX_LENGTH} characters. */
  subject: string;
  html: string;
  text: string;
  /** The customer's email address when known and a plain addr-spec; null otherwise. */
  replyTo: string | null;
}

export const SUBJECT_MAX_LENGTH = 150;
