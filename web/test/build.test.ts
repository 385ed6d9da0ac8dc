/**
 * The production build as Cloud Build runs it: every page, the embed's config, what the build
 * config says ends up in the widget, the size budget, and no development runtime by default.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../scripts/build.js';
import { I18N_FOLDERS, SITE_LOCALES } from '../src/copy/locales.js';
import type { WidgetConfig } from '../src/launcher/widget-config.js';

let out: string;
let report: Awaited<ReturnType<typeof buildSite>>['report'];
const STREAM_URL = 'https://chatkit-session-abc123-uw.a.run.app/api/chatkit';

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'web-build-'));
  ({ report } = await buildSite(
    {
      WEB_OUT_DIR: out,
      WEB_CHATKIT_URL: STREAM_URL,
      WEB_CHATKIT_DOMAIN_KEY: 'domain_pk_test',
      WEB_SITE_ORIGIN: 'https://rosewood.example',
    },
    { quiet: true },
  ));
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

const chatConfig = (html: string) =>
  JSON.parse(/<script type="application\/json" id="chat-config">(.*?)<\/script>/s.exec(html)![1]!) as WidgetConfig;

describe('the production site build', () => {
  it('when built, then the JS before the chat opens stays within 15 KB gzip and the chat chunk is reported', () => {
    expect(report.initialJsGzipBytes).toBeGreaterThan(0);
    expect(report.initialJsGzipBytes).toBeLessThanOrEqual(15 * 1024);
    expect(report.chatChunkGzipBytes).toBeGreaterThan(report.initialJsGzipBytes);
    expect(report.chatChunkFiles.some((file) => file.includes('mount-chat'))).toBe(true);
  });

  it.each(SITE_LOCALES)('when built, then /%s/ carries its language and the build config the widget will use', async (locale) => {
    const html = await readFile(join(out, locale, 'index.html'), 'utf8');
    expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
    expect(html).toContain(`<link rel="canonical" href="https://rosewood.example/${locale}/">`);
    const config = chatConfig(html);
    expect(config.chatKitUrl).toBe(STREAM_URL);
    expect(config.domainKey).toBe('domain_pk_test');
    expect(config.apiBase).toBe('');
    expect(config.runtimeUrls).toEqual(['https://cdn.platform.openai.com/deployments/chatkit/chatkit.js']);
    expect(JSON.parse(await readFile(join(out, 'chat-config', `${locale}.json`), 'utf8'))).toEqual(config);
    for (const folder of I18N_FOLDERS[locale]) {
      expect(await readFile(join(out, 'localized', folder, 'index.html'), 'utf8')).toContain(`url=/${locale}/`);
    }
  });

  it('when built for production, then nothing of the development ChatKit element is in it', async () => {
    const files = [...report.initialJsFiles, ...report.chatChunkFiles, 'widget.js', 'en/index.html'];
    for (const file of files) expect(await readFile(join(out, file), 'utf8')).not.toContain('__dev/chatkit');
  });

  it('when the build config is wrong, then the build fails naming the variable', async () => {
    await expect(buildSite({ WEB_OUT_DIR: join(out, 'never'), WEB_API_BASE: 'not a url' }, { quiet: true })).rejects.toThrow(
      /WEB_API_BASE/,
    );
    await expect(stat(join(out, 'never'))).rejects.toThrow();
  });
});
