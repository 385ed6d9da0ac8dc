/** The site page's only script: today's status, then the chat launcher. */
import { hoursStatus, statusText, type OpenSpans, type StatusWords } from '../launcher/hours-status.js';
import { startLauncher } from '../launcher/launcher.js';
import type { WidgetConfig } from '../launcher/widget-config.js';

const readJson = <T>(id: string): T | null => {
  const text = document.getElementById(id)?.textContent;
  return text ? (JSON.parse(text) as T) : null;
};

const config = readJson<WidgetConfig>('chat-config');
const hours = readJson<{ timezone: string; spans: OpenSpans; words: StatusWords }>('shop-hours');
const statusLine = document.getElementById('today-status');
if (hours && statusLine && config) {
  const status = hoursStatus(hours.spans, Date.now());
  if (status) {
    statusLine.textContent = statusText(status, hours.words, config.locale, hours.timezone);
    statusLine.dataset.status = status.kind;
    statusLine.hidden = false;
  }
}

const button = document.getElementById('chat-launcher');
const panel = document.getElementById('chat-panel');
if (config && button instanceof HTMLButtonElement && panel) {
  const launcher = startLauncher(config, { button, panel });
  // For the browser tests and for shops that open the chat from their own links (#chat).
  (window as Window & { chatLauncher?: typeof launcher }).chatLauncher = launcher;
  if (location.hash === '#chat') void launcher.open();
}
