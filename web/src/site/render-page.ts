/**
 * One static page per locale, rendered at build time from the shop profile and the copy.
 * Every string that reaches HTML goes through `escapeHtml`; JSON goes through `jsonForScript`.
 */
import { WEEKDAY_KEYS, type ShopProfile } from '@lead-intake/shared';
import { COPY } from '../copy/copy.js';
import { DEFAULT_LOCALE, SITE_LOCALES, directionOf, type SiteLocale } from '../copy/locales.js';
import type { WidgetConfig } from '../launcher/widget-config.js';
import type { OpenSpans } from '../launcher/hours-status.js';
import { LAUNCHER_ICON_MARKUP } from '../launcher/launcher-icon.js';

export interface PageAssets {
  /** The launcher entry (hashed), absolute path. */
  script: string;
  /** Modules to preload with it. */
  preload: readonly string[];
  /** The launcher and panel styles, inlined. */
  css: string;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A left-to-right value (phone number, street address, e-mail) isolated from the text around
 * it, so a right-to-left page does not reorder its digits and punctuation.
 */
const ltr = (value: string) => `<bdi dir="ltr">${escapeHtml(value)}</bdi>`;

/** JSON inside <script type="application/json">: no `</script>` or `<!--` can end it early. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const time = (locale: SiteLocale, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2026, 0, 5, h, m)),
  );
};

export function renderPage(input: {
  locale: SiteLocale;
  shop: ShopProfile;
  phoneDisplay: string;
  /** Absolute origin the site is served from (for hreflang and canonical), e.g. https://shop.example */
  siteOrigin: string;
  widget: WidgetConfig;
  spans: OpenSpans;
  assets: PageAssets;
}): string {
  const { locale, shop, widget, assets } = input;
  const copy = COPY[locale];
  const e = escapeHtml;
  const url = (l: SiteLocale) => `${input.siteOrigin}/${l}/`;
  const alternates = SITE_LOCALES.map((l) => `<link rel="alternate" hreflang="${e(l)}" href="${e(url(l))}">`).join('\n    ');
  const hoursRows = WEEKDAY_KEYS.map((key, index) => {
    const intervals = shop.weeklyHours[key];
    const text =
      intervals.length === 0 ? copy.closed : intervals.map((i) => `${time(locale, i.open)} – ${time(locale, i.close)}`).join(', ');
    return `<tr data-weekday="${index + 1}"><th scope="row">${e(copy.weekdays[index] ?? key)}</th><td>${e(text)}</td></tr>`;
  }).join('\n            ');
  const address = shop.address;
  const addressLines = address ? [address.street, `${address.city}, ${address.region ?? ''} ${address.postalCode ?? ''}`.trim()] : [];
  const languageLinks = SITE_LOCALES.map(
    (l) =>
      `<li><a href="/${e(l)}/" hreflang="${e(l)}" lang="${e(l)}"${l === locale ? ' aria-current="page"' : ''}>${e(COPY[l].languageName)}</a></li>`,
  ).join('');
  const statusWords = {
    openUntil: copy.statusOpenUntil('{time}'),
    opensAt: copy.statusClosedOpensAt('{day}', '{time}'),
    closed: copy.statusClosed,
  };

  return `<!doctype html>
<html lang="${e(locale)}" dir="${directionOf(locale)}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${e(copy.title(shop.name))}</title>
    <meta name="description" content="${e(copy.description(shop.name))}">
    <meta name="theme-color" content="${e(shop.accentColor)}">
    <link rel="canonical" href="${e(url(locale))}">
    ${alternates}
    <link rel="alternate" hreflang="x-default" href="${e(`${input.siteOrigin}/`)}">
    ${[assets.script, ...assets.preload].map((href) => `<link rel="modulepreload" href="${e(href)}">`).join('\n    ')}
    <style>${assets.css}</style>
  </head>
  <body style="--accent:${e(shop.accentColor)}">
    <a class="skip-link" href="#main">${e(copy.skipToContent)}</a>
    <header class="site-header">
      <p class="shop-name">${e(shop.name)}</p>
      <nav aria-label="${e(copy.languagesLabel)}"><ul class="languages">${languageLinks}</ul></nav>
    </header>
    <main id="main" tabindex="-1">
      <section class="hero" aria-labelledby="hero-title">
        <h1 id="hero-title">${e(shop.name)}</h1>
        <p class="tagline">${e(copy.tagline)}</p>
        <p class="today-status" id="today-status" aria-live="polite" hidden></p>
        <p class="hero-actions"><a class="call" href="tel:${e(shop.phone)}">${e(copy.callLabel)} ${ltr(input.phoneDisplay)}</a></p>
      </section>
      <section aria-labelledby="services-title">
        <h2 id="services-title">${e(copy.servicesHeading)}</h2>
        <ul class="services">${copy.services.map((s) => `<li>${e(s)}</li>`).join('')}</ul>
      </section>
      <section aria-labelledby="hours-title">
        <h2 id="hours-title">${e(copy.hoursHeading)}</h2>
        <table class="hours"><tbody>
            ${hoursRows}
        </tbody></table>
      </section>
      <section aria-labelledby="contact-title">
        <h2 id="contact-title">${e(copy.contactHeading)}</h2>
        <address>
          <p>${addressLines.map(ltr).join('<br>')}</p>
          <p><a href="tel:${e(shop.phone)}">${ltr(input.phoneDisplay)}</a></p>
          <p><a href="mailto:${e(shop.email ?? '')}">${ltr(shop.email ?? '')}</a></p>
        </address>
      </section>
    </main>
    <footer class="site-footer"><p>${e(copy.footer(shop.name))}</p></footer>
    <button type="button" class="chat-launcher" id="chat-launcher" aria-controls="chat-panel" aria-expanded="false" aria-haspopup="dialog">
      ${LAUNCHER_ICON_MARKUP}<span>${e(copy.launcher)}</span>
    </button>
    <div class="chat-panel" id="chat-panel" role="dialog" aria-label="${e(copy.chatTitle)}" tabindex="-1" hidden>
      <p class="chat-status" data-chat-status>${e(copy.loading)}</p>
      <div class="chat-mount" data-chat-mount></div>
      <div class="chat-fallback" data-chat-fallback aria-labelledby="chat-fallback-title" hidden></div>
    </div>
    <script type="application/json" id="chat-config">${jsonForScript(widget)}</script>
    <script type="application/json" id="shop-hours">${jsonForScript({ timezone: shop.timezone, spans: input.spans, words: statusWords })}</script>
    <script type="module" src="${e(assets.script)}"></script>
  </body>
</html>
`;
}

/** `/`: where Hosting i18n finds no match for the visitor's languages (and crawlers). */
export function renderRootPage(siteOrigin: string): string {
  const links = SITE_LOCALES.map(
    (l) => `<li><a href="/${l}/" hreflang="${l}" lang="${l}">${escapeHtml(COPY[l].languageName)}</a></li>`,
  ).join('');
  const alternates = SITE_LOCALES.map((l) => `<link rel="alternate" hreflang="${l}" href="${escapeHtml(`${siteOrigin}/${l}/`)}">`).join('');
  return `<!doctype html>
<html lang="${DEFAULT_LOCALE}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="refresh" content="0; url=/${DEFAULT_LOCALE}/">
    <title>${escapeHtml(COPY[DEFAULT_LOCALE].languageName)}</title>
    ${alternates}<link rel="alternate" hreflang="x-default" href="${escapeHtml(`${siteOrigin}/`)}">
  </head>
  <body><main><ul>${links}</ul></main></body>
</html>
`;
}

/** `localized/<lang>_ALL/index.html`: Hosting i18n serves it at `/` to that language's visitors. */
export function renderLocaleRedirect(locale: SiteLocale): string {
  return `<!doctype html>
<html lang="${locale}" dir="${directionOf(locale)}">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="refresh" content="0; url=/${locale}/">
    <link rel="canonical" href="/${locale}/">
    <title>${escapeHtml(COPY[locale].languageName)}</title>
  </head>
  <body><main><p><a href="/${locale}/">${escapeHtml(COPY[locale].languageName)}</a></p></main></body>
</html>
`;
}
