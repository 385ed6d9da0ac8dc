/**
 * Helpers that make untrusted text safe for the places the lead email puts it: clean text (HTML
 * escaping is preact-render-to-string's, in `html/`), a one-line mail header, and URLs we build.
 */
import { z } from 'zod';

/* eslint-disable no-control-regex -- stripping control characters is the point */
const LINE_BREAKS = /\r\n?|[\n\u0085\u2028\u2029]/g;
/** C0 (except tab/newline), DEL and C1 controls. */
const CONTROL_CHARS_KEEP_NEWLINES = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
const CONTROL_CHARS_ALL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
/* eslint-enable no-control-regex */
/** Bidi overrides/isolates and marks: they can make a subject or name read backwards. */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** Multi-line text: `\n` line breaks only, no control or bidi characters, trimmed. */
export function cleanMultiline(value: string): string {
  return value
    .replace(LINE_BREAKS, '\n')
    .replace(CONTROL_CHARS_KEEP_NEWLINES, '')
    .replace(BIDI_CONTROLS, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line: every line break and control character becomes a space; whitespace collapsed. */
export function singleLine(value: string): string {
  return value.replace(CONTROL_CHARS_ALL, ' ').replace(BIDI_CONTROLS, '').replace(/\s+/g, ' ').trim();
}

/** Cuts to at most `max` code points (never splitting a surrogate pair), ending with "…". */
export function truncate(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  if (max <= 1) return chars.slice(0, Math.max(0, max)).join('');
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** Like {@link truncate}, but prefers to cut at a word boundary in the last third. */
export function truncateWords(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  const head = chars.slice(0, max - 1).join('');
  const space = head.lastIndexOf(' ');
  const cut = space > (head.length * 2) / 3 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s,;:.–-]+$/u, '')}…`;
}

/** Length in code points. */
export const codePointLength = (value: string): number => Array.from(value).length;

/** A one-line, non-empty, length-capped value, or null. */
export function optionalLine(value: string | null | undefined, max: number): string | null {
  if (typeof value !== 'string') return null;
  const line = truncate(singleLine(value), max);
  return line === '' ? null : line;
}

const EMAIL_LOCAL = /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*$/;
const EMAIL_DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;

/**
 * A plain `local@domain` address made only of characters that are safe unquoted in a header
 * AND in a `mailto:` URL (no quotes, comments, display names, `%`, `?`, `#`, spaces or CR/LF).
 */
export function isPlainEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= 64 && EMAIL_LOCAL.test(local) && domain.length <= 253 && EMAIL_DOMAIN.test(domain);
}

const e164 = z.e164();
export const isE164 = (value: string): boolean => e164.safeParse(value).success;

const MAX_URL_LENGTH = 2048;

/**
 * The normalized href of an absolute http(s) URL without credentials, or null. Anything else
 * (`javascript:`, `data:`, relative, `https://user@host`) never becomes a link.
 */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_URL_LENGTH) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.href.length > MAX_URL_LENGTH) return null;
  return url.href;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** RFC 3986 percent-encoding (encodeURIComponent leaves `!'()*` alone; we do not). */
export function encodeUriComponentStrict(value: string): string {
  // encodeURIComponent throws on lone surrogates; replace them first.
  const wellFormed = value.replace(LONE_SURROGATE, '\uFFFD');
  return encodeURIComponent(wellFormed).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
