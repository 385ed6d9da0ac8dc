import { describe, expect, it } from 'vitest';
import { resolveLocale } from '../src/i18n/resolve-locale.js';

const supported = ['en', 'es', 'vi', 'zh-TW', 'pt-BR'];

describe('resolveLocale', () => {
  it.each([
    ['an exact match', 'es', 'es'],
    ['another case', 'ZH-tw', 'zh-TW'],
    ['a region of a supported language', 'es-MX', 'es'],
    ['a bare language with only a regional variant supported', 'zh', 'zh-TW'],
    ['a different region of a regional variant', 'pt-PT', 'pt-BR'],
    ['an unsupported language', 'fr-CA', 'en'],
    ['a malformed tag', 'not a locale!', 'en'],
    ['nothing', undefined, 'en'],
  ])('when given %s (%s), then it answers %s', (_case, requested, expected) => {
    expect(resolveLocale(requested, supported, 'en')).toBe(expected);
  });
});
