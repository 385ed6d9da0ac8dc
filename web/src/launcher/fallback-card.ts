import type { WidgetConfig } from './widget-config.js';

/** The never-blank card: call, text or email the shop, or try the chat again. */
export function renderFallback(container: HTMLElement, config: WidgetConfig, actions: { retry: () => void; close: () => void }): void {
  const { text, shop } = config;
  /** `value` (a phone number, an e-mail address) reads left to right on right-to-left pages too. */
  const link = (href: string, label: string, kind: string, value?: string) => {
    const a = document.createElement('a');
    a.href = href;
    a.className = `fallback-action fallback-${kind}`;
    a.textContent = value === undefined ? label : `${label} `;
    if (value !== undefined) {
      const bdi = document.createElement('bdi');
      bdi.dir = 'ltr';
      bdi.textContent = value;
      a.append(bdi);
    }
    return a;
  };
  const title = document.createElement('h2');
  title.id = 'chat-fallback-title';
  title.textContent = text.fallbackTitle;
  const body = document.createElement('p');
  body.textContent = text.fallbackBody;
  const list = document.createElement('div');
  list.className = 'fallback-actions';
  list.append(
    link(`tel:${shop.phone}`, text.fallbackCall, 'call', shop.phoneDisplay),
    link(`sms:${shop.phone}`, text.fallbackText, 'text'),
    link(`mailto:${shop.email}`, text.fallbackEmail, 'email', shop.email),
  );
  const retry = document.createElement('button');
  retry.type = 'button';
  retry.className = 'fallback-retry';
  retry.textContent = text.retry;
  retry.addEventListener('click', actions.retry);
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'fallback-close';
  close.textContent = text.closeChat;
  close.addEventListener('click', actions.close);
  container.setAttribute('role', 'alert');
  container.replaceChildren(title, body, list, retry, close);
  retry.focus();
}
