import type { ExtractedContact } from '../domain/contact.js';
import type { TranscriptAttachment, TranscriptMessage } from '../domain/transcript.js';
import { formatPhone, languageName, timeFormatter, type TimeFormatter } from './format.js';
import { findLabels, labelsFor, type LeadEmailLabels } from './labels.js';
import { conversationHref, mailtoHref, smsHref, telHref } from './links.js';
import { cleanMultiline, isPlainEmailAddress, optionalLine, safeHttpUrl, singleLine, truncate, truncateWords } from './sanitize.js';
import { buildSubject } from './subject.js';
import type { LeadEmailInput } from './types.js';

/** What both emails (the lead email and a follow-up) open with. */
export interface EmailViewHead {
  labels: LeadEmailLabels;
  shopName: string;
  accent: string;
  subject: string;
  preheader: string;
  replyTo: string | null;
  headline: string;
}

/**
 * Everything the HTML and text parts show, computed once so both carry the same facts. Strings
 * here are cleaned (no control characters, capped) but NOT escaped: each renderer escapes for
 * its own medium. Every href is built by us (tel/sms/mailto) or is a validated http(s) URL.
 */
export interface LeadEmailView extends EmailViewHead {
  need: string | null;
  degraded: { reason: string | null } | null;
  actions: ViewAction[];
  contact: ViewContact;
  summary: ViewSummary | null;
  transcript: { timeZone: string; messages: ViewMessage[] };
  attachments: ViewAttachment[];
}

export type ActionKind = 'call' | 'text' | 'email' | 'page' | 'conversation';

export interface ViewAction {
  kind: ActionKind;
  label: string;
  href: string;
  /** Human-readable target for the text part (the sms/mailto hrefs are long). */
  plain: string;
}

interface ViewContact {
  name: string | null;
  phones: { display: string; href: string | null }[];
  emails: { address: string; href: string | null }[];
  page: { display: string; href: string } | null;
  pageLanguage: string | null;
  threadId: string;
  started: string | null;
  trigger: string;
}

export interface ViewSummary {
  ready: boolean;
  readyReason: string | null;
  internalSummary: string | null;
  vehicle: string | null;
  projectDetails: string | null;
  nextSteps: string[];
  followUpQuestions: string[];
  missingInfo: string[];
  callScript: string[];
  outreach: { text: string; language: string } | null;
}

export interface ViewMessage {
  role: 'customer' | 'assistant';
  roleLabel: string;
  when: string | null;
  text: string;
  attachments: ViewAttachment[];
}

export interface ViewAttachment {
  name: string;
  kind: 'image' | 'file';
  href: string | null;
}

const MAX_FIELD = 2_000;
const MAX_LIST_ITEMS = 12;
const MAX_MESSAGE = 10_000;
const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;
const FALLBACK_ACCENT = '#1F2937';

const multiline = (value: string | null | undefined, max = MAX_FIELD): string | null => {
  if (typeof value !== 'string') return null;
  const text = truncate(cleanMultiline(value), max);
  return text === '' ? null : text;
};

const lines = (values: readonly string[] | null | undefined, max = 500): string[] =>
  (values ?? [])
    .map((value) => optionalLine(value, max))
    .filter((value): value is string => value !== null)
    .slice(0, MAX_LIST_ITEMS);

function viewAttachment(attachment: TranscriptAttachment): ViewAttachment {
  return {
    name: optionalLine(attachment.name, 200) ?? (attachment.kind === 'image' ? 'image' : 'file'),
    kind: attachment.kind === 'image' ? 'image' : 'file',
    href: safeHttpUrl(attachment.url),
  };
}

function pageDisplay(href: string): string {
  const url = new URL(href);
  const path = url.pathname === '/' ? '' : decodeSafely(url.pathname);
  return truncate(`${url.host}${path}`, 60);
}

function decodeSafely(path: string): string {
  try {
    return singleLine(decodeURIComponent(path));
  } catch {
    return path;
  }
}

/** The customer's phones (E.164 + display + tel:), emails (+ mailto:) and the Reply-To address. */
export function contactView(contact: ExtractedContact, shopCountry: string) {
  const phones = contact.phones
    .map((phone) => singleLine(phone))
    .filter((phone) => phone !== '')
    .slice(0, MAX_LIST_ITEMS)
    .map((phone) => ({ e164: phone, display: formatPhone(phone, shopCountry), href: telHref(phone) }));
  const emails = contact.emails
    .map((email) => truncate(singleLine(email), 254))
    .filter((email) => email !== '')
    .slice(0, MAX_LIST_ITEMS)
    .map((address) => ({ address, href: mailtoHref(address, null, null) }));
  const replyTo = emails.find((email) => isPlainEmailAddress(email.address))?.address ?? null;
  return { phones, emails, replyTo };
}

/** Transcript messages as shown: cleaned, capped, the date only where the day changes. */
export function messagesView(transcript: readonly TranscriptMessage[], labels: LeadEmailLabels, times: TimeFormatter): ViewMessage[] {
  const messages: ViewMessage[] = [];
  let previousDay: string | null = null;
  for (const message of transcript) {
    const day = times.dayKey(message.createdAt);
    const when = day !== null && day === previousDay ? times.time(message.createdAt) : times.dateTime(message.createdAt);
    previousDay = day ?? previousDay;
    const role = message.role === 'customer' ? 'customer' : 'assistant';
    messages.push({
      role,
      roleLabel: role === 'customer' ? labels.customer : labels.assistant,
      when,
      text: truncate(cleanMultiline(message.text), MAX_MESSAGE),
      attachments: (message.attachments ?? []).map(viewAttachment),
    });
  }
  return messages;
}

export function buildView(input: LeadEmailInput): LeadEmailView {
  const labels = labelsFor(input.shopLanguage);
  const shopName = singleLine(input.shop.name);
  const accent = HEX_COLOR.test(input.shop.accentColor) ? input.shop.accentColor.toUpperCase() : FALLBACK_ACCENT;
  const threadId = truncate(singleLine(input.threadId), 140);
  const times = timeFormatter(input.shopLanguage, input.shop.timezone);
  const summary = input.summary;

  const { phones, emails, replyTo } = contactView(input.contact, input.shop.address.country);
  const firstPhone = phones.find((phone) => phone.href !== null) ?? null;
  const name = optionalLine(summary?.customer_name, 120);
  const vehicle = optionalLine(summary?.vehicle, 200);
  const projectDetails = multiline(summary?.project_details);
  const need = summary ? optionalLine([vehicle, projectDetails ? singleLine(projectDetails) : null].filter(Boolean).join(', '), 200) : null;
  const contactDisplay = firstPhone?.display ?? phones[0]?.display ?? emails[0]?.address ?? null;

  const outreachText = multiline(summary?.outreach_message, 4_000);
  const outreachLanguageTag = optionalLine(summary?.customer_language, 35);
  const customerLabels = findLabels(outreachLanguageTag);
  const outreachSubject = customerLabels ? customerLabels.outreachSubject(shopName) : shopName;

  const actions: ViewAction[] = [];
  if (firstPhone?.href) {
    actions.push({ kind: 'call', label: labels.call, href: firstPhone.href, plain: firstPhone.display });
    const sms = smsHref(firstPhone.e164, outreachText);
    if (sms) actions.push({ kind: 'text', label: labels.text, href: sms, plain: firstPhone.display });
  }
  if (replyTo) {
    const mailto = mailtoHref(replyTo, outreachSubject, outreachText);
    if (mailto) actions.push({ kind: 'email', label: labels.email, href: mailto, plain: replyTo });
  }
  const pageHref = safeHttpUrl(input.pageUrl);
  if (pageHref) actions.push({ kind: 'page', label: labels.openPage, href: pageHref, plain: pageHref });
  const recordHref = conversationHref(input.threadId, input.conversationUrlTemplate);
  if (recordHref) actions.push({ kind: 'conversation', label: labels.conversationRecord, href: recordHref, plain: recordHref });

  const messages = messagesView(input.transcript.messages, labels, times);
  const attachments = messages.flatMap((message) => message.attachments);
  const started = times.dateTime(input.transcript.messages[0]?.createdAt ?? input.transcript.createdAt);

  const degraded = summary === null ? { reason: optionalLine(input.degradedReason, 300) } : null;
  const subject = buildSubject({ labels, threadId, name, need, contact: contactDisplay, degraded: degraded !== null });
  const headline = name ?? contactDisplay ?? labels.unknownContact;

  const internalSummary = multiline(summary?.internal_summary);
  const preheader = truncateWords(
    singleLine(
      degraded
        ? `${labels.summaryUnavailable}. ${[contactDisplay, degraded.reason].filter(Boolean).join(' – ')}`
        : (internalSummary ?? need ?? headline),
    ),
    140,
  );

  return {
    labels,
    shopName,
    accent,
    subject,
    preheader,
    replyTo,
    headline,
    need,
    degraded,
    actions,
    contact: {
      name,
      phones: phones.map(({ display, href }) => ({ display, href })),
      emails,
      page: pageHref ? { display: pageDisplay(pageHref), href: pageHref } : null,
      pageLanguage: optionalLine(input.locale, 35),
      threadId,
      started,
      trigger: labels.triggers[input.trigger] ?? singleLine(String(input.trigger)),
    },
    summary: summary
      ? {
          ready: summary.handoff_ready,
          readyReason: optionalLine(summary.handoff_reason, 300),
          internalSummary,
          vehicle,
          projectDetails,
          nextSteps: lines(summary.next_steps),
          followUpQuestions: lines(summary.follow_up_questions),
          missingInfo: lines(summary.missing_info, 200),
          callScript: lines(summary.call_script_prompts),
          outreach:
            outreachText !== null
              ? {
                  text: outreachText,
                  language: outreachLanguageTag ? `${languageName(outreachLanguageTag, labels.language)} (${outreachLanguageTag})` : '',
                }
              : null,
        }
      : null,
    transcript: { timeZone: singleLine(input.shop.timezone), messages },
    attachments,
  };
}
