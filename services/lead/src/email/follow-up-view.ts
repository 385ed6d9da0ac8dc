import type { ShopProfile } from '@lead-intake/shared';
import type { ExtractedContact } from '../domain/contact.js';
import type { Transcript } from '../domain/transcript.js';
import { timeFormatter } from './format.js';
import { labelsFor } from './labels.js';
import { conversationHref, smsHref } from './links.js';
import { singleLine, truncate, truncateWords } from './sanitize.js';
import { SUBJECT_MAX_LENGTH } from './types.js';
import { contactView, messagesView, type EmailViewHead, type ViewAction, type ViewMessage } from './view.js';

export interface FollowUpEmailInput {
  shop: ShopProfile;
  threadId: string;
  /** The whole conversation as read now. */
  transcript: Transcript;
  /** The customer messages no email has carried yet. */
  newMessageIds: ReadonlySet<string>;
  /** Contact details in the whole conversation, and in what the shop already had. */
  contact: ExtractedContact;
  previousContact: ExtractedContact;
  /** The lead email's subject: the follow-up answers it (`Re: …`). */
  leadSubject: string;
  shopLanguage: string;
  conversationUrlTemplate?: string | undefined;
}

/** What the follow-up shows; cleaned and capped like the lead email's view, escaped by each renderer. */
export interface FollowUpView extends EmailViewHead {
  threadId: string;
  actions: ViewAction[];
  /** Phones and emails the shop did not have before (highlighted). */
  newContact: { phones: { display: string; href: string | null }[]; emails: { address: string; href: string | null }[] };
  transcript: { timeZone: string; messages: ViewMessage[] };
  newCount: number;
}

const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;

/**
 * The follow-up: only what is new since the last email (the first new customer message and
 * everything after it; customer messages an earlier email carried are left out), the new contact
 * details highlighted, the same quick actions as the lead email.
 */
export function buildFollowUpView(input: FollowUpEmailInput): FollowUpView {
  const labels = labelsFor(input.shopLanguage);
  const country = input.shop.address.country;
  const times = timeFormatter(input.shopLanguage, input.shop.timezone);
  const all = contactView(input.contact, country);
  const before = new Set([...input.previousContact.phones, ...input.previousContact.emails]);
  const fresh = contactView(
    {
      phones: input.contact.phones.filter((phone) => !before.has(phone)),
      emails: input.contact.emails.filter((email) => !before.has(email)),
    },
    country,
  );

  const messages = input.transcript.messages;
  const first = messages.findIndex((message) => message.role === 'customer' && input.newMessageIds.has(message.id));
  const shown = (first < 0 ? [] : messages.slice(first)).filter(
    (message) => message.role !== 'customer' || input.newMessageIds.has(message.id),
  );
  const newCount = shown.filter((message) => message.role === 'customer').length;

  const actions: ViewAction[] = [];
  const phone = (fresh.phones[0]?.href ? fresh.phones[0] : null) ?? all.phones.find((candidate) => candidate.href !== null) ?? null;
  if (phone?.href) {
    actions.push({ kind: 'call', label: labels.call, href: phone.href, plain: phone.display });
    const sms = smsHref(phone.e164, null);
    if (sms) actions.push({ kind: 'text', label: labels.text, href: sms, plain: phone.display });
  }
  const replyTo = fresh.replyTo ?? all.replyTo;
  const email = replyTo ? all.emails.find((candidate) => candidate.address === replyTo) : undefined;
  if (email?.href) actions.push({ kind: 'email', label: labels.email, href: email.href, plain: email.address });
  const recordHref = conversationHref(input.threadId, input.conversationUrlTemplate);
  if (recordHref) actions.push({ kind: 'conversation', label: labels.conversationRecord, href: recordHref, plain: recordHref });

  const threadId = truncate(singleLine(input.threadId), 140);
  const leadSubject = singleLine(input.leadSubject);
  const subject = truncate(leadSubject ? `Re: ${leadSubject}` : `${labels.followUp} (${threadId})`, SUBJECT_MAX_LENGTH + 4);
  const firstText = shown.find((message) => message.role === 'customer')?.text ?? '';
  return {
    labels,
    shopName: singleLine(input.shop.name),
    accent: HEX_COLOR.test(input.shop.accentColor) ? input.shop.accentColor.toUpperCase() : '#1F2937',
    subject,
    preheader: truncateWords(singleLine(firstText), 140),
    replyTo,
    headline: labels.followUpHeadline(newCount),
    threadId,
    actions,
    newContact: { phones: fresh.phones.map(({ display, href }) => ({ display, href })), emails: fresh.emails },
    transcript: { timeZone: singleLine(input.shop.timezone), messages: messagesView(shown, labels, times) },
    newCount,
  };
}
