/**
 * Email addresses in free customer text.
 *
 * The text is expected to be NFKC-normalised by the caller, so full-width forms typed on CJK
 * keyboards (`ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ`) arrive as plain ASCII.
 */

/** A match with its span in the searched text, so the caller can blank it out before the phone search. */
export interface TextMatch {
  value: string;
  start: number;
  end: number;
}

// Local part: the characters real mailbox providers accept (no quoted local parts, no `'`, `/` or
// unicode letters: those are legal but rare, and would glue neighbouring words, e.g. CJK text
// written without spaces, onto the address). Dots only between characters.
const LOCAL = String.raw`[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*`;
// Domain: dot-separated labels (no leading/trailing hyphen) and an alphabetic TLD.
const LABEL = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`;
const PLAIN_EMAIL = new RegExp(String.raw`(?<![a-z0-9_%+.-])(${LOCAL})@((?:${LABEL}\.)+[a-z]{2,24})(?![a-z0-9-]|\.[a-z0-9])`, 'gi');

// Obfuscated addresses ("john at gmail dot com", "john [at] gmail [dot] com", "juan arroba gmail
// punto com"). Only accepted when it is hard to be wrong: see `isTrustedObfuscation`.
const AT_BRACKETED = String.raw`\s*[\[({<]\s*(?:at|@|arroba)\s*[\])}>]\s*`;
const AT_WORD = String.raw`\s+(?:at|arroba)\s+`;
const DOT = String.raw`(?:\s*[\[({<]\s*(?:dot|punto|chấm)\s*[\])}>]\s*|\s+(?:dot|punto|chấm)\s+|\.)`;
const OBF_LABEL = String.raw`[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?`;
const OBFUSCATED_EMAIL = new RegExp(
  String.raw`(?<![a-z0-9_%+.-])` +
    String.raw`([a-z0-9_%+-]+(?:${DOT}[a-z0-9_%+-]+)*)` + // local part, dots possibly spelled out
    String.raw`(${AT_BRACKETED}|${AT_WORD}|@)` +
    String.raw`(${OBF_LABEL}(?:${DOT}${OBF_LABEL})*${DOT}([a-z]{2,24}))` +
    String.raw`(?![a-z0-9-]|\.[a-z0-9])`,
  'giu',
);
const DOT_SPLIT = new RegExp(DOT, 'giu');

/** Top-level domains accepted for obfuscated addresses (a typo-free, common subset). */
const KNOWN_TLDS = new Set([
  'com',
  'net',
  'org',
  'edu',
  'gov',
  'mil',
  'io',
  'co',
  'us',
  'ca',
  'mx',
  'uk',
  'vn',
  'cn',
  'de',
  'fr',
  'es',
  'it',
  'nl',
  'au',
  'nz',
  'jp',
  'kr',
  'in',
  'br',
  'ar',
  'cl',
  'pe',
  'me',
  'info',
  'biz',
  'app',
  'dev',
  'tw',
  'hk',
  'sg',
  'ph',
  'ie',
  'ch',
  'at',
  'be',
  'se',
  'no',
  'dk',
  'fi',
  'pl',
  'ru',
  'email',
  'mail',
]);

/** Mailbox providers whose name makes a word-form "at" unambiguous. */
const KNOWN_PROVIDERS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'ymail',
  'hotmail',
  'outlook',
  'live',
  'msn',
  'icloud',
  'me',
  'mac',
  'aol',
  'proton',
  'protonmail',
  'pm',
  'comcast',
  'sbcglobal',
  'att',
  'verizon',
  'cox',
  'charter',
  'gmx',
  'yandex',
  'zoho',
  'qq',
  '163',
  '126',
  'sina',
  'fastmail',
  'mail',
]);

/** Words that precede a plain "at" in ordinary sentences ("I work at acme dot com"). */
const NOT_A_MAILBOX = new Set([
  'me',
  'us',
  'you',
  'him',
  'her',
  'them',
  'it',
  'i',
  'we',
  'he',
  'she',
  'they',
  'work',
  'works',
  'worked',
  'home',
  'be',
  'is',
  'are',
  'am',
  'was',
  'were',
  'here',
  'there',
  'shop',
  'office',
  'look',
  'looking',
  'email',
  'mail',
  'reach',
  'contact',
  'write',
  'message',
  'find',
  'available',
  'arrive',
  'arriving',
]);

const EMAIL_KEYWORD = /e-?mail|correo|mail|邮箱|邮件|电邮|thư điện tử/iu;

const isTrustedObfuscation = (text: string, at: string, local: string, domain: string, tld: string): boolean => {
  if (!KNOWN_TLDS.has(tld)) return false;
  const provider = domain.split('.')[0] ?? '';
  const atWord = at.trim().toLowerCase();
  // A bracketed [at] or the Spanish "arroba" is never ordinary prose.
  if (at.includes('@') && !/[[({<]/.test(at)) return true; // real "@" with a spelled-out "dot"
  if (/[[({<]/.test(at) || atWord === 'arroba') return true;
  // A plain word "at": only for well-known providers, or when the customer says it is an email.
  if (NOT_A_MAILBOX.has(local)) return false;
  return KNOWN_PROVIDERS.has(provider) || EMAIL_KEYWORD.test(text);
};

const collapseDots = (spelled: string): string => spelled.replace(DOT_SPLIT, '.');

/**
 * Every email address in `text`, lower-cased, in order of appearance (duplicates kept; the caller
 * de-duplicates across messages).
 */
export const findEmails = (text: string): TextMatch[] => {
  const found: TextMatch[] = [];
  for (const match of text.matchAll(PLAIN_EMAIL)) {
    found.push({ value: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
  }
  const overlaps = (start: number, end: number): boolean => found.some((m) => start < m.end && m.start < end);
  // A manual loop rather than matchAll: when a candidate is rejected ("me at john dot smith"), the
  // search resumes one character later so the real address after it is still found.
  const obfuscated = new RegExp(OBFUSCATED_EMAIL.source, OBFUSCATED_EMAIL.flags);
  for (let match = obfuscated.exec(text); match !== null; match = obfuscated.exec(text)) {
    const [whole, localSpelled = '', at = '', domainSpelled = '', tldRaw = ''] = match;
    const start = match.index;
    const end = start + whole.length;
    const local = collapseDots(localSpelled).toLowerCase();
    const domain = collapseDots(domainSpelled).toLowerCase();
    if (overlaps(start, end) || !isTrustedObfuscation(text, at, local, domain, tldRaw.toLowerCase())) {
      obfuscated.lastIndex = start + 1;
      continue;
    }
    found.push({ value: `${local}@${domain}`, start, end });
  }
  return found.sort((a, b) => a.start - b.start);
};
