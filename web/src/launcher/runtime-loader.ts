/**
 * Loads the ChatKit runtime (the script that defines `<openai-chatkit>`): each URL in turn, each
 * with a timeout, until the element is defined. One attempt at a time; a failed attempt can be
 * retried (the fallback card's retry button).
 */
const CHATKIT_ELEMENT = 'openai-chatkit';

class RuntimeUnavailableError extends Error {
  constructor(readonly tried: readonly string[]) {
    super(`ChatKit runtime unavailable (tried ${tried.length} source${tried.length === 1 ? '' : 's'})`);
  }
}

let loading: Promise<void> | null = null;

export function loadChatKitRuntime(urls: readonly string[], timeoutMs: number, doc: Document = document): Promise<void> {
  if (customElements.get(CHATKIT_ELEMENT)) return Promise.resolve();
  loading ??= tryInOrder(urls, timeoutMs, doc).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

async function tryInOrder(urls: readonly string[], timeoutMs: number, doc: Document): Promise<void> {
  for (const url of urls) {
    if (await loadOne(url, timeoutMs, doc)) return;
  }
  throw new RuntimeUnavailableError(urls);
}

function loadOne(url: string, timeoutMs: number, doc: Document): Promise<boolean> {
  return new Promise((resolve) => {
    const script = doc.createElement('script');
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!ok) script.remove();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(Boolean(customElements.get(CHATKIT_ELEMENT))), timeoutMs);
    script.src = url;
    script.async = true;
    script.addEventListener('error', () => finish(false));
    // A script that loads but defines nothing (a captive portal page, a wrong URL) is a failure too.
    script.addEventListener('load', () => {
      if (customElements.get(CHATKIT_ELEMENT)) finish(true);
      else void customElements.whenDefined(CHATKIT_ELEMENT).then(() => finish(true));
    });
    doc.head.append(script);
  });
}
