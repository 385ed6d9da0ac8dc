/**
 * The embed: `<script type="module" src="https://<this site>/widget.js" data-locale="es"></script>`
 * gives another site the same launcher and panel, talking to this deployment's /api (the other
 * site's origin must be in the services' ALLOWED_ORIGINS). Chunks and config resolve relative to
 * this script, not to the page.
 */
import panelCss from '../styles/panel.css?inline';
import { startLauncher } from '../launcher/launcher.js';
import { launcherIconElement } from '../launcher/launcher-icon.js';
import type { WidgetConfig } from '../launcher/widget-config.js';
import { SITE_LOCALES, DEFAULT_LOCALE } from '../copy/locales.js';

const scriptUrl = new URL(import.meta.url);
const tag = document.querySelector<HTMLScriptElement>('script[src*="widget.js"][data-locale]');
const wanted = tag?.dataset.locale ?? document.documentElement.lang ?? DEFAULT_LOCALE;
const locale =
  SITE_LOCALES.find((l) => l.toLowerCase() === wanted.toLowerCase()) ??
  SITE_LOCALES.find((l) => l.split('-')[0] === wanted.split('-')[0]?.toLowerCase()) ??
  DEFAULT_LOCALE;

/** An absolute base URL without its trailing slash (config may say `/api-base` or a full URL). */
const absolute = (url: string) => new URL(url, scriptUrl.origin).href.replace(/\/$/, '');

async function embed(): Promise<void> {
  const response = await fetch(new URL(`chat-config/${locale}.json`, scriptUrl));
  if (!response.ok) throw new Error(`chat config answered ${response.status}`);
  const config = (await response.json()) as WidgetConfig;
  const resolved: WidgetConfig = {
    ...config,
    apiBase: config.apiBase === '' ? scriptUrl.origin : absolute(config.apiBase),
    chatKitUrl: new URL(config.chatKitUrl, scriptUrl.origin).href,
    runtimeUrls: config.runtimeUrls.map((url) => new URL(url, scriptUrl.origin).href),
  };

  const host = document.createElement('div');
  host.className = 'chatkit-lead-widget';
  host.style.setProperty('--accent', config.shop.accentColor);
  host.dir = config.dir;
  host.lang = config.locale;
  const style = document.createElement('style');
  style.textContent = panelCss;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'chat-launcher';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-haspopup', 'dialog');
  const label = document.createElement('span');
  label.textContent = config.text.launcher;
  button.append(launcherIconElement(), label);
  const panel = document.createElement('div');
  panel.className = 'chat-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', config.text.chatTitle);
  panel.tabIndex = -1;
  panel.hidden = true;
  panel.id = 'chatkit-lead-panel';
  button.setAttribute('aria-controls', panel.id);
  const status = document.createElement('p');
  status.className = 'chat-status';
  status.dataset.chatStatus = '';
  status.textContent = config.text.loading;
  const mount = document.createElement('div');
  mount.className = 'chat-mount';
  mount.dataset.chatMount = '';
  const fallback = document.createElement('div');
  fallback.className = 'chat-fallback';
  fallback.dataset.chatFallback = '';
  fallback.hidden = true;
  panel.append(status, mount, fallback);
  host.append(style, button, panel);
  document.body.append(host);
  const launcher = startLauncher(resolved, { button, panel });
  (window as Window & { chatLauncher?: typeof launcher }).chatLauncher = launcher;
}

void embed().catch(() => {
  // The host page keeps working without the chat; nothing to show without our config.
});
