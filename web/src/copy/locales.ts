/** Every locale the site is built in, with its direction and the tags it answers for. */
export const SITE_LOCALES = ['en', 'es', 'vi', 'zh-Hans', 'ar'] as const;
export type SiteLocale = (typeof SITE_LOCALES)[number];
export const DEFAULT_LOCALE: SiteLocale = 'en';

const RTL_LOCALES: ReadonlySet<SiteLocale> = new Set(['ar']);
export const directionOf = (locale: SiteLocale): 'rtl' | 'ltr' => (RTL_LOCALES.has(locale) ? 'rtl' : 'ltr');

/**
 * Firebase Hosting i18n folder names (`localized/<language>_ALL`) that send `/` to each locale.
 * Hosting matches Accept-Language by language code, so every Chinese variant lands on zh-Hans.
 */
export const I18N_FOLDERS: Readonly<Record<SiteLocale, readonly string[]>> = {
  en: ['en_ALL'],
  es: ['es_ALL'],
  vi: ['vi_ALL'],
  'zh-Hans': ['zh_ALL'],
  ar: ['ar_ALL'],
};

/** The ChatKit UI locale for each site locale (ChatKit's SupportedLocale spelling). */
export const CHATKIT_LOCALE: Readonly<Record<SiteLocale, string>> = {
  en: 'en',
  es: 'es',
  vi: 'vi',
  'zh-Hans': 'zh-CN',
  ar: 'ar',
};
