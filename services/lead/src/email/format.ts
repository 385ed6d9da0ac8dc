/** Display formatting for the lead email: phones, times in the shop's zone, language names. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/**
 * A number as the shop dials it (libphonenumber-js): national format in the shop's own country
 * (`+14085550142` → `(408) 555-0142` for a US shop), international otherwise
 * (`+442079460958` → `+44 20 7946 0958`); what it cannot read stays as given.
 */
export function formatPhone(e164: string, shopCountry: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.country === (shopCountry as CountryCode) ? phone.formatNational() : phone.formatInternational();
}

function safeLocale(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

export interface TimeFormatter {
  /** "Mar 3, 2026, 4:05 PM PST" */
  dateTime(epochSeconds: number): string | null;
  /** "4:05 PM" */
  time(epochSeconds: number): string | null;
  /** A key that changes when the local calendar day changes. */
  dayKey(epochSeconds: number): string | null;
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Formats epoch seconds in the shop's time zone, in the shop's language. */
export function timeFormatter(language: string, requestedTimeZone: string): TimeFormatter {
  const locale = safeLocale(language);
  const timeZone = isKnownTimeZone(requestedTimeZone) ? requestedTimeZone : 'UTC';
  const full = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  const short = new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' });
  const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const guard =
    (format: Intl.DateTimeFormat) =>
    (epochSeconds: number): string | null =>
      Number.isFinite(epochSeconds) && epochSeconds > 0 ? format.format(new Date(epochSeconds * 1000)) : null;
  return { dateTime: guard(full), time: guard(short), dayKey: guard(day) };
}

/** "Spanish" for ('es', 'en'); the tag itself when Intl does not know it. */
export function languageName(tag: string, displayLanguage: string): string {
  try {
    const canonical = Intl.getCanonicalLocales(tag)[0];
    if (!canonical) return tag;
    const name = new Intl.DisplayNames([safeLocale(displayLanguage)], { type: 'language' }).of(canonical);
    return name && name !== canonical ? name : canonical;
  } catch {
    return tag;
  }
}
