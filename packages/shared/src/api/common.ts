import { z } from 'zod';

/** A stable per-browser id, never a conversation id. */
export const anonUserIdSchema = z
  .string()
  .regex(/^anon_[A-Za-z0-9_-]{8,64}$/, 'must be "anon_" followed by 8 to 64 of A-Z, a-z, 0-9, "_" or "-"');

/** ChatKit thread id: the conversation id we key leads on. */
export const threadIdSchema = z
  .string()
  .regex(/^cthr_[A-Za-z0-9_-]{1,128}$/, 'must be "cthr_" followed by 1 to 128 of A-Z, a-z, 0-9, "_" or "-"');

/** A syntactically valid BCP 47 tag; whether the shop supports it is decided server-side. */
export const localeSchema = z
  .string()
  .max(35, 'must be at most 35 characters')
  .refine((value) => canonicalLocale(value) !== null, 'must be a BCP 47 language tag such as "en" or "es-MX"');

const canonicalCache = new Map<string, string | null>();

/** `Intl.getCanonicalLocales` for one tag, or null; memoized (bounded), since Intl is slow per call. */
export function canonicalLocale(tag: string): string | null {
  const cached = canonicalCache.get(tag);
  if (cached !== undefined) return cached;
  let canonical: string | null;
  try {
    const all = Intl.getCanonicalLocales(tag);
    canonical = all.length === 1 ? (all[0] ?? null) : null;
  } catch {
    canonical = null;
  }
  if (canonicalCache.size >= 1000) canonicalCache.clear();
  canonicalCache.set(tag, canonical);
  return canonical;
}

/**
 * C0 and C1 controls, DEL and the Unicode line and paragraph separators: what no one-line value
 * (a URL, a shop name) needs, and what could start a new line where the agent reads it.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const MAX_PAGE_URL = 2048;

/**
 * An absolute http(s) URL, kept as `new URL(x).href` (lower-case scheme and host, dot segments
 * resolved, spaces and non-ASCII percent-encoded): that is what is stored, signed into tokens and
 * shown to the agent, so no raw spelling (the URL parser silently drops tabs and newlines) goes on.
 * Control characters are refused outright rather than dropped.
 */
export const pageUrlSchema = z
  .string()
  .max(MAX_PAGE_URL, `must be at most ${MAX_PAGE_URL} characters`)
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters or line breaks')
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      url = new URL('invalid:');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return z.NEVER;
    }
    if (url.href.length > MAX_PAGE_URL) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_PAGE_URL} characters once normalized` });
      return z.NEVER;
    }
    return url.href;
  });
