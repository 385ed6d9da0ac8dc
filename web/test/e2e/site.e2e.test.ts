/**
 * The site in every locale, on phones, by keyboard, and the embed on other origins, in Debian
 * chromium through the gateway. Screenshots land in web/test-results/screenshots (CI artefacts).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY } from '../../src/copy/copy.js';
import { SITE_LOCALES } from '../../src/copy/locales.js';
import { SCREENSHOTS, startBrowserEnv, type BrowserEnv } from './browser-env.js';
import { focusedPlace, openChat, say, watchChatEvents } from './page-helpers.js';

let env: BrowserEnv;
beforeAll(async () => {
  env = await startBrowserEnv();
}, 180_000);
afterAll(async () => {
  await env?.stop();
}, 60_000);

const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
type AxeResult = { violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> };

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

describe('the site in every locale', () => {
  it.each(SITE_LOCALES)('when %s is opened, then it renders its own language, direction, alternates and today status', async (locale) => {
    const context = await env.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${env.site}/${locale}/`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' https://cdn.platform.openai.com");
    expect(response?.headers()['cache-control']).toBe('no-cache');
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(await page.getAttribute('html', 'dir')).toBe(locale === 'ar' ? 'rtl' : 'ltr');
    const alternates = await page
      .locator('link[rel="alternate"][hreflang]')
      .evaluateAll((links) => links.map((l) => l.getAttribute('hreflang')));
    expect(alternates.sort()).toEqual([...SITE_LOCALES, 'x-default'].sort());
    expect(await page.locator('main h1').textContent()).toBe('Rosewood Auto Upholstery');
    expect(await page.locator('#chat-launcher').textContent()).toContain(COPY[locale].launcher);
    expect(await page.locator('main, header, footer, nav').count()).toBeGreaterThanOrEqual(4);
    await page.locator('#today-status').waitFor({ state: 'visible' });
    expect((await page.locator('#today-status').textContent())?.length).toBeGreaterThan(3);
    await page.screenshot({ path: join(SCREENSHOTS, `site-${locale}-desktop.png`), fullPage: true });
    await context.close();
  });

  it.each(SITE_LOCALES)(
    'when axe checks the %s page (WCAG 2 A/AA: landmarks, contrast, names), with the chat open too, then it finds no violation',
    async (locale) => {
      // The page's CSP (rightly) refuses the injected axe script.
      const context = await env.newContext({ bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${env.site}/${locale}/`);
      await page.locator('#today-status').waitFor({ state: 'visible' });
      const audit = async () => {
        await page.addScriptTag({ content: axeSource });
        const result = (await page.evaluate(() =>
          (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<unknown> } }).axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
          }),
        )) as AxeResult;
        return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      };
      expect(await audit()).toEqual([]);
      await page.locator('#chat-launcher').click();
      await page.locator('openai-chatkit textarea').waitFor({ state: 'visible', timeout: 15_000 });
      // The panel is ours; what ChatKit renders inside its element is OpenAI's (the development element is a stand-in).
      const panelOnly = (await audit()).filter((line) => !line.includes('openai-chatkit'));
      expect(panelOnly).toEqual([]);
      await context.close();
    },
  );

  it('when the page loads, then nothing registers unload or beforeunload (they break the back/forward cache)', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { unloadListeners: string[] }).unloadListeners = seen;
      const original = EventTarget.prototype.addEventListener;
      EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
        if (type === 'unload' || type === 'beforeunload') seen.push(type);
        return (original as (...args: unknown[]) => void).call(this, type, ...rest);
      } as typeof original;
    });
    await page.goto(`${env.site}/en/`);
    await page.locator('#chat-launcher').click();
    await page.locator('openai-chatkit textarea').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await page.evaluate(() => (window as unknown as { unloadListeners: string[] }).unloadListeners)).toEqual([]);
    await context.close();
  });

  it('when the hosting headers are applied, then hashed assets are immutable, widget.js and pages are revalidated, and module scripts carry CORS', async () => {
    const page = await (await fetch(`${env.site}/en/`)).text();
    const script = /<script type="module" src="([^"]+)"/.exec(page)?.[1];
    expect(script).toMatch(/^\/assets\/site-[\w-]+\.js$/);
    const asset = await fetch(`${env.site}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('access-control-allow-origin')).toBe('*');
    const widget = await fetch(`${env.site}/widget.js`);
    expect(widget.headers.get('cache-control')).toBe('no-cache');
    expect(widget.headers.get('access-control-allow-origin')).toBe('*');
    expect(widget.headers.get('content-type')).toContain('javascript');
    const html = await fetch(`${env.site}/es/`);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('when a visitor asks for / in Spanish, then Hosting i18n sends them to /es/', async () => {
    const context = await env.newContext({ locale: 'es-MX', extraHTTPHeaders: { 'accept-language': 'es-MX,es;q=0.9' } });
    const page = await context.newPage();
    await page.goto(`${env.site}/`);
    await page.waitForURL(`${env.site}/es/`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await context.close();
  });

  it('when the Arabic page is open, then the layout is mirrored: the launcher sits bottom-left', async () => {
    const context = await env.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.site}/ar/`);
    const box = await page.locator('#chat-launcher').boundingBox();
    expect(box!.x).toBeLessThan(200);
    await page.goto(`${env.site}/en/`);
    const ltr = await page.locator('#chat-launcher').boundingBox();
    expect(ltr!.x).toBeGreaterThan(1000);
    await context.close();
  });

  it('when the Arabic page is open, then phone numbers, the address and the e-mail keep their left-to-right order, isolated from the text around them', async () => {
    const context = await env.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${env.site}/ar/`);
    const direction = (selector: string) =>
      page.locator(selector).evaluateAll((elements) =>
        elements.map((element) => {
          const style = getComputedStyle(element);
          return { text: element.textContent, direction: style.direction, unicodeBidi: style.unicodeBidi };
        }),
      );
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    const call = await direction('.hero-actions .call bdi');
    expect(call).toEqual([{ text: '(408) 555-0142', direction: 'ltr', unicodeBidi: 'isolate' }]);
    const contact = await direction('address bdi');
    expect(contact.map((c) => c.text)).toEqual([
      '2275 Almaden Trim Ct, Unit B',
      'San Jose, CA 95125',
      '(408) 555-0142',
      'hello@rosewood-upholstery.example',
    ]);
    for (const run of contact) expect(run).toMatchObject({ direction: 'ltr', unicodeBidi: 'isolate' });

    // In the chat too: the customer's phone number in a right-to-left message.
    await watchChatEvents(page);
    await page.reload();
    await page.locator('.chat-launcher').tap();
    await page.locator('openai-chatkit textarea').waitFor({ state: 'visible', timeout: 15_000 });
    await page.waitForFunction(
      () => ((window as unknown as { chatEvents?: Record<string, number> }).chatEvents?.['chatkit.ready'] ?? 0) > 0,
    );
    await say(page, 'اسمي مريم، اتصل بي على 408-555-0166');
    const bubble = page.locator('openai-chatkit .user').first();
    expect(await bubble.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
    expect(await direction('openai-chatkit .user bdi')).toEqual([{ text: '408-555-0166', direction: 'ltr', unicodeBidi: 'isolate' }]);
    // The send arrow points the way the text runs: mirrored here, as is the launcher's bubble.
    expect(await page.locator('openai-chatkit .send svg').evaluate((svg) => getComputedStyle(svg).transform)).toBe(
      'matrix(-1, 0, 0, 1, 0, 0)',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'chat-ar-phone.png') });
    await context.close();
  });

  it('when the ChatKit runtime cannot load on the Arabic page, then the fallback card keeps the phone number and e-mail left to right', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await page.route('**/__dev/chatkit.js', (route) => route.abort());
    await page.goto(`${env.site}/ar/`);
    await page.locator('.chat-launcher').click();
    const card = page.locator('[data-chat-fallback]');
    await card.waitFor({ state: 'visible', timeout: 10_000 });
    const runs = await card
      .locator('bdi')
      .evaluateAll((elements) => elements.map((element) => `${element.textContent} ${getComputedStyle(element).direction}`));
    expect(runs).toEqual(['(408) 555-0142 ltr', 'hello@rosewood-upholstery.example ltr']);
    expect(await card.locator('a.fallback-call').textContent()).toBe(`${COPY.ar.fallbackCall} (408) 555-0142`);
    await context.close();
  });

  it.each(SITE_LOCALES)(
    'when the chat opens on the %s page, then every label is in that language and the launcher icon is an SVG',
    async (locale) => {
      // What the development element names its controls, per ChatKit locale (the real runtime localizes its own).
      const controls: Record<string, { close: string; message: string; send: string }> = {
        en: { close: 'Close', message: 'Message', send: 'Send' },
        es: { close: 'Cerrar', message: 'Mensaje', send: 'Enviar' },
        vi: { close: 'Đóng', message: 'Tin nhắn', send: 'Gửi' },
        'zh-Hans': { close: '关闭', message: '消息', send: '发送' },
        ar: { close: 'إغلاق', message: 'رسالة', send: 'إرسال' },
      };
      const context = await env.newContext();
      const page = await context.newPage();
      await watchChatEvents(page);
      await page.goto(`${env.site}/${locale}/`);
      const launcher = page.locator('#chat-launcher');
      expect(await launcher.locator('svg[aria-hidden="true"]').count()).toBe(1);
      expect((await launcher.textContent())?.trim()).toBe(COPY[locale].launcher);
      await openChat(page);
      expect(await page.locator('#chat-panel').getAttribute('aria-label')).toBe(COPY[locale].chatTitle);
      const labels = await page
        .locator('openai-chatkit')
        .evaluate((element) =>
          Object.fromEntries(
            ['.close', 'textarea', '.send'].map((selector) => [
              selector,
              element.shadowRoot?.querySelector(selector)?.getAttribute('aria-label'),
            ]),
          ),
        );
      expect(labels).toEqual({ '.close': controls[locale]!.close, textarea: controls[locale]!.message, '.send': controls[locale]!.send });
      await context.close();
    },
  );

  it('when the chat is open on a phone, then Tab and Shift+Tab stay inside it, while on a wide screen the page beside it stays reachable', async () => {
    const phone = await env.newContext(PHONE);
    const page = await phone.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/es/`);
    await openChat(page);
    expect(await page.locator('#chat-panel').getAttribute('aria-modal')).toBe('true');
    const places: Array<{ path: string; inPanel: boolean }> = [];
    for (const key of [...Array<string>(8).fill('Tab'), ...Array<string>(8).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      places.push(await focusedPlace(page));
    }
    // Inside the chat, or (past its last control) nowhere on the page, as with a native modal
    // dialog: never a link or button of the page behind it.
    for (const place of places) expect(place.inPanel || place.path === 'BODY').toBe(true);
    expect(places.filter((place) => place.inPanel).length).toBeGreaterThan(10);
    await page.locator('openai-chatkit .close').tap();
    expect(await page.locator('#chat-panel').getAttribute('aria-modal')).toBeNull();
    expect(await page.locator('main').evaluate((main) => (main as HTMLElement).inert)).toBe(false);
    await phone.close();

    const desktop = await env.newContext();
    const wide = await desktop.newPage();
    await watchChatEvents(wide);
    await wide.goto(`${env.site}/es/`);
    await openChat(wide);
    expect(await wide.locator('#chat-panel').getAttribute('aria-modal')).toBeNull();
    let reachedPage = false;
    for (let i = 0; i < 12 && !reachedPage; i += 1) {
      await wide.keyboard.press('Tab');
      reachedPage = await wide.evaluate(() => document.activeElement?.closest('main, header') !== null);
    }
    expect(reachedPage).toBe(true);
    await desktop.close();
  });

  it('when the chat opens on a phone, then it fills the screen, and the draft survives closing and reopening', async () => {
    const context = await env.newContext(PHONE);
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/vi/`);
    await page.screenshot({ path: join(SCREENSHOTS, 'site-vi-phone.png'), fullPage: true });
    await page.locator('.chat-launcher').tap();
    await page.locator('openai-chatkit textarea').waitFor({ state: 'visible', timeout: 15_000 });
    const panel = await page.locator('#chat-panel').boundingBox();
    expect(panel).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
    await page.locator('openai-chatkit textarea').fill('Ghế xe của tôi bị rách');
    await page.screenshot({ path: join(SCREENSHOTS, 'chat-vi-phone.png') });
    await page.locator('openai-chatkit .close').tap();
    expect(await page.locator('#chat-panel').isHidden()).toBe(true);
    await page.locator('.chat-launcher').tap();
    expect(await page.locator('openai-chatkit textarea').inputValue()).toBe('Ghế xe của tôi bị rách');
    await context.close();
  });

  it('when the visitor uses only the keyboard, then Tab reaches the launcher, Enter opens, typing sends, Escape closes and focus returns', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.site}/en/`);
    let reached = false;
    for (let i = 0; i < 40 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'chat-launcher');
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => ((window as unknown as { chatEvents?: Record<string, number> }).chatEvents?.['chatkit.ready'] ?? 0) > 0,
    );
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName.toLowerCase())).toBe('openai-chatkit');
    await page.keyboard.type('Do you fix convertible tops?');
    await page.keyboard.press('Enter');
    await page.locator('openai-chatkit .assistant').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    expect(await page.locator('#chat-panel').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chat-launcher');
    await context.close();
  });

  it('when the visitor prefers reduced motion, then the launcher has no transition', async () => {
    const context = await env.newContext({ reducedMotion: 'reduce' });
    const page = await context.newPage();
    await page.goto(`${env.site}/en/`);
    expect(await page.locator('#chat-launcher').evaluate((el) => getComputedStyle(el).transitionDuration)).toBe('0s');
    await context.close();
  });
});

describe('the embeddable widget.js', () => {
  it('when a site on an allowed origin embeds widget.js, then its visitors get the same launcher and chat in the chosen language', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await watchChatEvents(page);
    await page.goto(`${env.embedAllowed}/`);
    const launcher = page.locator('.chatkit-lead-widget .chat-launcher');
    await launcher.waitFor();
    expect(await launcher.textContent()).toBe(COPY.es.launcher);
    expect(await launcher.locator('svg[aria-hidden="true"]').count()).toBe(1);
    await openChat(page);
    const answer = await say(page, 'El asiento de mi carro está roto');
    expect(answer.length).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'embed-es-desktop.png') });
    await context.close();
  });

  it('when a site on an origin not in ALLOWED_ORIGINS embeds it, then the services refuse it and the visitor sees the fallback card', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    const mints: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/api/chatkit/session')) mints.push(response.status());
    });
    await page.goto(`${env.embedForeign}/`);
    await page.locator('.chatkit-lead-widget .chat-launcher').click();
    await page.locator('.chatkit-lead-widget [data-chat-fallback]').waitFor({ state: 'visible', timeout: 15_000 });
    // The browser's CORS preflight is refused, so no mint ever succeeds; the service says why.
    expect(mints.filter((status) => status === 200)).toEqual([]);
    const direct = await fetch(`${env.site}/api/chatkit/session`, {
      method: 'POST',
      headers: { origin: env.embedForeign, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(direct.status).toBe(403);
    expect(direct.headers.get('access-control-allow-origin')).toBeNull();
    await context.close();
  });
});
