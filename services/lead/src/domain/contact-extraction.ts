/**
 * Contact details a customer typed in the chat: the emails and phone numbers the shop's lead email
 * shows and the "missing contact" check relies on.
 *
 * Contract ("Lead semantics"): contact info comes from customer messages only, never from the
 * assistant's text, and the shop's own phone numbers and emails are never reported as the
 * customer's (the assistant quotes them, and customers repeat them: "is 408-555-0100 your number?").
 *
 * Text is NFKC-normalised first, so full-width digits, `＠` and `．` typed on CJK keyboards count.
 * Emails are found first and blanked out before the phone search, so the digits of
 * `john4085550142@example.com` are not also read as a phone number.
 * Phone decisions (libphonenumber-js `max` metadata, `VALID` leniency, E.164) are in `contact-phone.ts`.
 */
import type { ExtractedContact } from './contact.js';
import { findEmails } from './contact-email.js';
import { findPhones, normalizePhone } from './contact-phone.js';
import type { CountryCode } from './contact-phone.js';
import type { ShopProfile } from '@lead-intake/shared';
import type { Transcript } from './transcript.js';
import { customerMessages } from './transcript.js';

export type { CountryCode };

export interface ContactExtractionOptions {
  /** The shop's own phone numbers, in any format; numbers equal to them after normalisation are dropped. */
  shopPhones: string[];
  /** The shop's own emails; dropped case-insensitively. */
  shopEmails: string[];
  /** Country national numbers are read in, e.g. `US` (from the shop's address). */
  defaultCountry: CountryCode;
}

interface Found {
  emails: string[];
  phones: string[];
}

const findInText = (text: string, defaultCountry: CountryCode): Found => {
  const normalized = text.normalize('NFKC');
  const emailMatches = findEmails(normalized);
  let withoutEmails = normalized;
  for (const match of emailMatches) {
    withoutEmails = withoutEmails.slice(0, match.start) + ' '.repeat(match.end - match.start) + withoutEmails.slice(match.end);
  }
  return { emails: emailMatches.map((match) => match.value), phones: findPhones(withoutEmails, defaultCountry) };
};

const normalizeEmail = (email: string): string =>
  email
    .trim()
    .replace(/^mailto:/iu, '')
    .toLowerCase();

const collect = (texts: string[], options: ContactExtractionOptions): ExtractedContact => {
  const shopEmails = new Set(options.shopEmails.map(normalizeEmail));
  const shopPhones = new Set(
    options.shopPhones.map((phone) => normalizePhone(phone, options.defaultCountry)).filter((phone): phone is string => phone !== null),
  );
  // Sets keep insertion order: de-duplicated in order of first mention.
  const emails = new Set<string>();
  const phones = new Set<string>();
  for (const text of texts) {
    const found = findInText(text, options.defaultCountry);
    for (const email of found.emails) if (!shopEmails.has(email)) emails.add(email);
    for (const phone of found.phones) if (!shopPhones.has(phone)) phones.add(phone);
  }
  return { emails: [...emails], phones: [...phones] };
};

/** The shop's own phone and email are excluded; national numbers are read in the shop's country. */
export const contactOptionsFor = (shop: Pick<ShopProfile, 'phone' | 'email' | 'address'>): ContactExtractionOptions => ({
  shopPhones: [shop.phone],
  shopEmails: [shop.email],
  defaultCountry: shop.address.country as CountryCode,
});

/** Contact details in one piece of customer text (the ops CLI, tests). */
export const extractContactFromText = (text: string, options: ContactExtractionOptions): ExtractedContact => collect([text], options);

/** Contact details the customer gave in a conversation: customer messages only, oldest first. */
export const extractContact = (transcript: Transcript, options: ContactExtractionOptions): ExtractedContact =>
  collect(
    customerMessages(transcript).map((message) => message.text),
    options,
  );
