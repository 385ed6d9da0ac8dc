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

export const pageUrlSchema = z
  .string()
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');
