import { encodeUriComponentStrict, isE164, isPlainEmailAddress, safeHttpUrl } from './sanitize.js';

/**
 * The only non-http(s) URLs the lead email contains, built here from validated parts. Every
 * free-text part is percent-encoded, so no quote, space or line break reaches the href.
 */

/** `tel:+14085550142`, or null when the number is not E.164. */
export function telHref(phone: string): string | null {
  return isE164(phone) ? `tel:${phone}` : null;
}

/**
 * `sms:+14085550142?&body=…`. The `?&body=` form is the one both iOS Messages and Android
 * accept (RFC 5724's `?body=` alone is ignored by some iOS versions).
 */
export function smsHref(phone: string, body: string | null): string | null {
  if (!isE164(phone)) return null;
  return body ? `sms:${phone}?&body=${encodeUriComponentStrict(body)}` : `sms:${phone}`;
}

/** `mailto:addr?subject=…&body=…` (RFC 6068; line breaks become %0D%0A), or null. */
export function mailtoHref(address: string, subject: string | null, body: string | null): string | null {
  if (!isPlainEmailAddress(address)) return null;
  const params: string[] = [];
  if (subject) params.push(`subject=${encodeUriComponentStrict(subject)}`);
  if (body) params.push(`body=${encodeUriComponentStrict(body.replace(/\r?\n/g, '\r\n'))}`);
  return params.length > 0 ? `mailto:${address}?${params.join('&')}` : `mailto:${address}`;
}

/**
 * The operator's page for the conversation (e.g. its Firestore console document): the configured
 * template with `{threadId}` filled in; none configured, or not http(s) → no link.
 */
export function conversationHref(threadId: string, template: string | undefined): string | null {
  if (template === undefined || !template.includes(CONVERSATION_URL_PLACEHOLDER)) return null;
  return safeHttpUrl(template.replaceAll(CONVERSATION_URL_PLACEHOLDER, encodeUriComponentStrict(threadId)));
}

const CONVERSATION_URL_PLACEHOLDER = '{threadId}';
