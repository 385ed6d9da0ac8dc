/**
 * Phone numbers in free customer text, found and validated by libphonenumber-js.
 *
 * Decisions (checked against libphonenumber-js 1.13 while writing this module):
 * - The `max` metadata is used, so `isValid()` checks the digits against each country's real
 *   numbering plan (the default `min` metadata only checks lengths). Server-side, its size is moot.
 * - Leniency is libphonenumber's `VALID` (the default of `findPhoneNumbersInText`), not `POSSIBLE`:
 *   `POSSIBLE` also returns digit runs such as `1234567890` (area code 123 does not exist).
 *   The fictional 555-01XX numbers the project's fixtures use (`+1 408-555-0142`,
 *   `(650) 555-0199`) are valid for libphonenumber (the NANP plan allows exchange 555), so no
 *   "possible but invalid" fallback is needed and none is made.
 * - Numbers come out in E.164 (`+14085550142`); an extension (`ext. 12`) is dropped, E.164 has none.
 *   National numbers are read in `defaultCountry` (the shop's country).
 */
import { findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

export type { CountryCode };

// Web addresses carry ids and tracking numbers that are not phone numbers.
const URL_PATTERN = /\b(?:https?:\/\/|www\.)\S+/giu;

// "0044 20 7946 0958": the European/Latin American international prefix. libphonenumber only knows
// the shop country's own prefix (011 in the US), so a written `00` + country code becomes `+`
// (same length, so match offsets stay those of the searched text). Only where a number starts: not
// glued to a letter, `.`, `,`, `:` or `/` ($450.00, 10:00), and not after another digit group
// (`+86 138 0013 8000`).
const DOUBLE_ZERO_PREFIX = /(?<![\p{L}\p{N}.,:/])(?<![\p{N}+][\s().-]*)00(?=[1-9])/gu;

// Commas and semicolons never occur inside a phone number, but libphonenumber lets a candidate run
// across them ("408-555-0142,408-555-0199" would lose the second number), so they become breaks.
const LIST_SEPARATOR = /[,;，；、]/gu;

// A number introduced as an order, invoice, tracking… number is not a phone number, even when its
// digits happen to form a valid one ("order #4085550142", "invoice no. 4085550142").
const NUMBER_MARKER = String.raw`(?:no\.?|nr\.?|num\.?|number|n[úu]mero|n°|#|id|số)`;
const word = (alternatives: string): string => String.raw`(?<![\p{L}\p{N}])(?:${alternatives})(?![\p{L}\p{N}])\.?`;
const REFERENCE_BEFORE = new RegExp(
  String.raw`(?:` +
    // Words that mark a reference number on their own ("invoice 4085550142", "invoice no. …").
    word('invoice|confirmation|tracking|ticket|claim|policy|serial|vin|sku|receipt|rma|factura|recibo|folio|hóa đơn') +
    String.raw`(?:\s*${NUMBER_MARKER})?` +
    String.raw`|(?:订单|发票|单号)(?:号|号码|编号)?` +
    String.raw`|` +
    // Words that need an explicit number marker ("order #", "part no.", "account number"): "call me
    // about the order 408-555-0142" is a phone number.
    word('order|pedido|orden|đơn hàng|part|case|account|acct|ref|reference|model|po|inv|conf|stock|lot') +
    String.raw`\s*${NUMBER_MARKER}` +
    String.raw`)\s*(?:is|was|es|là|是)?\s*[:#=]?\s*$` +
    // A bare "#" glued to the digits.
    String.raw`|#\s*$`,
  'iu',
);
const REFERENCE_LOOKBEHIND_CHARS = 40;

/** Turns the shop's configured phone(s) into E.164 strings, ignoring any that cannot be read. */
export const normalizePhone = (phone: string, defaultCountry: CountryCode): string | null => {
  const parsed = parsePhoneNumberFromString(phone.normalize('NFKC').replace(/^\s*00(?=[1-9])/u, '+'), defaultCountry);
  return parsed ? parsed.number : null;
};

/**
 * Every phone number in `text` as E.164, in order of appearance (duplicates kept). `text` should
 * already have its email addresses blanked out (digits in `john4085550142@…` are not a phone).
 */
export const findPhones = (text: string, defaultCountry: CountryCode): string[] => {
  const searchable = text
    .replace(URL_PATTERN, (url) => ' '.repeat(url.length))
    .replace(DOUBLE_ZERO_PREFIX, ' +')
    .replace(LIST_SEPARATOR, '\n');
  const phones: string[] = [];
  for (const line of splitWithOffsets(searchable, '\n')) {
    for (const found of findPhoneNumbersInText(line.text, { defaultCountry })) {
      const start = line.offset + found.startsAt;
      const before = searchable.slice(Math.max(0, start - REFERENCE_LOOKBEHIND_CHARS), start);
      if (REFERENCE_BEFORE.test(before)) continue;
      phones.push(found.number.number);
    }
  }
  return phones;
};

const splitWithOffsets = (text: string, separator: string): { text: string; offset: number }[] => {
  const parts: { text: string; offset: number }[] = [];
  let offset = 0;
  for (const part of text.split(separator)) {
    parts.push({ text: part, offset });
    offset += part.length + separator.length;
  }
  return parts;
};
