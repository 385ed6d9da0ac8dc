import { canonicalLocale } from '../api/common.js';

/**
 * Picks the supported locale closest to a requested BCP 47 tag: an exact match, then the same
 * language (`es-MX` → `es`, `zh` → `zh-TW`), else the default. Case-insensitive.
 */
export function resolveLocale(requested: string | undefined, supported: readonly string[], defaultLocale: string): string {
  if (!requested) return defaultLocale;
  const canonical = canonicalLocale(requested);
  if (canonical === null) return defaultLocale;
  const lower = canonical.toLowerCase();
  const exact = supported.find((locale) => locale.toLowerCase() === lower);
  if (exact) return exact;
  const language = lower.split('-')[0];
  const sameLanguage =
    supported.find((locale) => locale.toLowerCase() === language) ??
    supported.find((locale) => locale.toLowerCase().split('-')[0] === language);
  return sameLanguage ?? defaultLocale;
}
