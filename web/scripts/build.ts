/**
 * `npm run build -w web`: the Vite build of the scripts, then one static page per locale from the
 * shop profile, the i18n redirects for `/`, the embed's per-locale config and a size report.
 * Build config comes from WEB_* variables (see web/.env.example); nothing is read at run time.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { build } from 'vite';
import { z } from 'zod';
import { defaultShopProfilePath, loadShopProfile, shopClock, type ShopProfile } from '@lead-intake/shared';
import { COPY } from '../src/copy/copy.js';
import { CHATKIT_LOCALE, I18N_FOLDERS, SITE_LOCALES, directionOf, type SiteLocale } from '../src/copy/locales.js';
import type { OpenSpans } from '../src/launcher/hours-status.js';
import { CHAT_TEXT_KEYS, DEFAULT_RUNTIME_URL, type ChatText, type WidgetConfig } from '../src/launcher/widget-config.js';
import { renderLocaleRedirect, renderPage, renderRootPage } from '../src/site/render-page.js';

const webRoot = fileURLToPath(new URL('..', import.meta.url));

const list = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(1)).min(1, 'must list at least one URL'));
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const buildEnvSchema = z.object({
  /** Base of this deployment's /api for the session mint and lead triggers; '' = the site's origin (Hosting rewrites). */
  WEB_API_BASE: z.union([z.literal(''), z.url().transform((url) => url.replace(/\/$/, ''))]).default(''),
  /** ChatKit's api.url: the session service's own streaming URL in production (Hosting rewrites buffer SSE). */
  WEB_CHATKIT_URL: z.string().optional(),
  WEB_CHATKIT_DOMAIN_KEY: z.string().default(''),
  WEB_CHATKIT_RUNTIME_URLS: list.default([DEFAULT_RUNTIME_URL]),
  WEB_SITE_ORIGIN: z
    .url()
    .transform((url) => url.replace(/\/$/, ''))
    .default('http://localhost:5000'),
  WEB_RUNTIME_TIMEOUT_SECONDS: seconds(8),
  WEB_READY_TIMEOUT_SECONDS: seconds(8),
  WEB_IDLE_SECONDS: seconds(90),
  /** Days of opening hours computed ahead for the "open now" line. */
  WEB_HOURS_DAYS: seconds(60),
  SHOP_PROFILE_PATH: z.string().optional(),
  WEB_OUT_DIR: z.string().default(join(webRoot, 'dist')),
});
export type BuildEnv = z.output<typeof buildEnvSchema>;

/** The shop's open stretches from `from` for `days` days, as instants (the shop clock's rules). */
export function openSpans(shop: ShopProfile, from: Date, days: number): OpenSpans {
  const until = from.getTime() + days * 86_400_000;
  const open: Array<[number, number]> = [];
  let t = from.getTime();
  while (t < until) {
    const clock = shopClock(shop, new Date(t));
    if (clock.isOpenNow) {
      const end = clock.closesAt?.at.getTime() ?? until;
      open.push([t, end]);
      t = end;
    } else if (clock.nextOpen) {
      t = clock.nextOpen.at.getTime();
    } else {
      break;
    }
  }
  return { open: open.filter(([start]) => start < until), until };
}

export function widgetConfig(env: BuildEnv, locale: SiteLocale, shop: ShopProfile, phoneDisplay: string): WidgetConfig {
  const copy = COPY[locale];
  return {
    locale,
    chatKitLocale: CHATKIT_LOCALE[locale],
    dir: directionOf(locale),
    apiBase: env.WEB_API_BASE,
    chatKitUrl: env.WEB_CHATKIT_URL ?? `${env.WEB_API_BASE}/api/chatkit`,
    domainKey: env.WEB_CHATKIT_DOMAIN_KEY,
    runtimeUrls: env.WEB_CHATKIT_RUNTIME_URLS,
    runtimeTimeoutMs: env.WEB_RUNTIME_TIMEOUT_SECONDS * 1000,
    readyTimeoutMs: env.WEB_READY_TIMEOUT_SECONDS * 1000,
    idleMs: env.WEB_IDLE_SECONDS * 1000,
    shop: { name: shop.name, phone: shop.phone, phoneDisplay, email: shop.email ?? '', accentColor: shop.accentColor },
    text: Object.fromEntries(CHAT_TEXT_KEYS.map((key) => [key, copy[key]])) as ChatText,
  };
}

interface ManifestChunk {
  file: string;
  name?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

/** Every file a chunk pulls in statically, itself first. */
function closure(manifest: Record<string, ManifestChunk>, key: string, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key];
  if (!chunk) return [];
  return [chunk.file, ...(chunk.imports ?? []).flatMap((k) => closure(manifest, k, seen))];
}

export async function buildSite(rawEnv: Record<string, string | undefined>, options: { quiet?: boolean } = {}) {
  const parsed = buildEnvSchema.safeParse(rawEnv);
  if (!parsed.success) throw new Error(`web build config: ${z.prettifyError(parsed.error)}`);
  const env = parsed.data;
  const shop = await loadShopProfile(env.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  const phoneDisplay = parsePhoneNumberWithError(shop.phone).formatNational();
  const out = env.WEB_OUT_DIR;

  await build({
    configFile: join(webRoot, 'vite.config.ts'),
    root: webRoot,
    logLevel: options.quiet ? 'warn' : 'info',
    build: { outDir: out },
  });

  const manifest = JSON.parse(await readFile(join(out, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const siteKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry && manifest[k]?.name === 'site');
  const widgetKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry && manifest[k]?.name === 'widget');
  if (!siteKey || !widgetKey) throw new Error('vite manifest lacks the site or widget entry');
  const initial = closure(manifest, siteKey);
  const dynamicKeys = [...new Set(Object.values(manifest).flatMap((c) => c.dynamicImports ?? []))];
  const chatFiles = [...new Set(dynamicKeys.flatMap((k) => closure(manifest, k)))].filter((file) => !initial.includes(file));

  const css =
    (await readFile(join(webRoot, 'src/styles/site.css'), 'utf8')) + (await readFile(join(webRoot, 'src/styles/panel.css'), 'utf8'));
  const spans = openSpans(shop, new Date(), env.WEB_HOURS_DAYS);
  const assets = { script: `/${initial[0]}`, preload: initial.slice(1).map((f) => `/${f}`), css: css.replace(/\n/g, '') };

  for (const locale of SITE_LOCALES) {
    const widget = widgetConfig(env, locale, shop, phoneDisplay);
    await mkdir(join(out, locale), { recursive: true });
    await writeFile(
      join(out, locale, 'index.html'),
      renderPage({ locale, shop, phoneDisplay, siteOrigin: env.WEB_SITE_ORIGIN, widget, spans, assets }),
    );
    await mkdir(join(out, 'chat-config'), { recursive: true });
    await writeFile(join(out, 'chat-config', `${locale}.json`), JSON.stringify(widget));
    for (const folder of I18N_FOLDERS[locale]) {
      await mkdir(join(out, 'localized', folder), { recursive: true });
      await writeFile(join(out, 'localized', folder, 'index.html'), renderLocaleRedirect(locale));
    }
  }
  await writeFile(join(out, 'index.html'), renderRootPage(env.WEB_SITE_ORIGIN));
  await rm(join(out, '.vite'), { recursive: true, force: true });

  const gz = async (files: string[]) => {
    let total = 0;
    for (const file of files) total += gzipSync(await readFile(join(out, file)), { level: 9 }).length;
    return total;
  };
  const report = {
    initialJsGzipBytes: await gz(initial),
    initialJsFiles: initial,
    chatChunkGzipBytes: await gz(chatFiles),
    chatChunkFiles: chatFiles,
    widgetLoaderGzipBytes: await gz(closure(manifest, widgetKey).filter((f) => !initial.includes(f) || f === 'widget.js')),
  };
  await writeFile(join(out, 'size-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return { env, report, out };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildSite(process.env).then(
    ({ report, out }) => {
      console.log(
        `site built in ${out}: JS before the chat opens ${report.initialJsGzipBytes} B gzip (goal ≤ 15360), chat chunk ${report.chatChunkGzipBytes} B gzip`,
      );
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
