/**
 * A development `<openai-chatkit>`: the real runtime (chatkit.js) comes only from OpenAI's CDN,
 * so offline the dev gateway serves this instead. It takes the same `setOptions` (custom `api`,
 * `initialThread`, header, start screen, composer, disclaimer), speaks the real ChatKit protocol
 * to `api.url` through `api.fetch`, renders the conversation and fires the same `chatkit.*`
 * events. Never part of a production build (see docs/decisions/0013-development-chatkit-element.md).
 */
import type { ChatKitOptions, CustomApiConfig } from '@openai/chatkit';

type Item = {
  id: string;
  type: string;
  content?: Array<{ type: string; text?: string }>;
};
type StreamEvent =
  | { type: 'thread.created'; thread: { id: string } }
  | { type: 'thread.item.added' | 'thread.item.done' | 'thread.item.replaced'; item: Item }
  | { type: 'thread.item.updated'; item_id: string; update: { type: string; delta?: string; content_index?: number } }
  | { type: 'thread.item.removed'; item_id: string }
  | { type: 'error'; code?: string; message?: string; allow_retry?: boolean }
  | { type: string };

const STYLE = `
:host{display:block;height:100%}
.frame{display:flex;flex-direction:column;height:100%;font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;background:#fff}
div.bar{display:flex;align-items:center;gap:8px;padding:10px 12px;border-bottom:1px solid #e5e5e5}
div.bar h2{flex:1;margin:0;font-size:16px}
.badge{font-size:11px;padding:2px 6px;border-radius:6px;background:#fff4d6;color:#6b4e00}
button{font:inherit;cursor:pointer}
.close{border:1px solid #ccc;background:#fff;border-radius:8px;padding:4px 10px}
.log{flex:1;overflow:auto;padding:12px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--accent,#8b1e2d);color:#fff}
.assistant{align-self:flex-start;background:#f1f1f1}
.notice{align-self:stretch;background:#fdecec;color:#7f1d1d;border-radius:8px;padding:8px 12px}
.start{padding:16px 12px}
.start p{margin:0 0 12px;font-size:17px}
.prompts{display:flex;flex-wrap:wrap;gap:8px}
.prompts button{border:1px solid #ccc;background:#fff;border-radius:999px;padding:6px 12px}
form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #e5e5e5}
textarea{flex:1;resize:none;font:inherit;padding:8px;border:1px solid #bbb;border-radius:8px;min-height:40px}
.send{border:0;border-radius:8px;padding:0 16px;background:var(--accent,#8b1e2d);color:#fff}
.disclaimer{margin:0;padding:0 12px 10px;font-size:12px;color:#555}
`;

class DevChatKit extends HTMLElement {
  #options: ChatKitOptions | null = null;
  #threadId: string | null = null;
  #ready = false;
  #busy = false;
  #root: ShadowRoot;
  #log!: HTMLElement;
  #start!: HTMLElement;
  #input!: HTMLTextAreaElement;
  #title!: HTMLElement;
  #close!: HTMLButtonElement;
  #disclaimer!: HTMLElement;
  #messages = new Map<string, HTMLElement>();

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.innerHTML = `<style>${STYLE}</style><div class="frame">
      <div class="bar"><h2></h2><span class="badge">dev ChatKit</span><button type="button" class="close" hidden>✕</button></div>
      <div class="start"><p class="greeting"></p><div class="prompts"></div></div>
      <div class="log" role="log" aria-live="polite"></div>
      <form><textarea rows="1" aria-label="Message"></textarea><button class="send" type="submit" aria-label="Send">➤</button></form>
      <p class="disclaimer"></p></div>`;
    this.#log = this.#root.querySelector('.log')!;
    this.#start = this.#root.querySelector('.start')!;
    this.#input = this.#root.querySelector('textarea')!;
    this.#title = this.#root.querySelector('h2')!;
    this.#close = this.#root.querySelector('.close')!;
    this.#disclaimer = this.#root.querySelector('.disclaimer')!;
    this.#root.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.#input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this.#submit();
      }
    });
    this.#close.addEventListener('click', () => this.#options?.header?.rightAction?.onClick());
  }

  setOptions(options: ChatKitOptions): void {
    const first = this.#options === null;
    this.#options = options;
    this.#title.textContent = options.header?.title?.text ?? 'Chat';
    this.#close.hidden = !options.header?.rightAction;
    this.#close.setAttribute('aria-label', options.header?.rightAction ? 'Close' : '');
    this.#input.placeholder = options.composer?.placeholder ?? '';
    this.#disclaimer.textContent = options.disclaimer?.text ?? '';
    this.#root.querySelector('.greeting')!.textContent = options.startScreen?.greeting ?? '';
    const prompts = this.#root.querySelector('.prompts')!;
    prompts.replaceChildren(
      ...(options.startScreen?.prompts ?? []).map((p) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = p.label;
        button.addEventListener('click', () => void this.sendUserMessage({ text: typeof p.prompt === 'string' ? p.prompt : p.label }));
        return button;
      }),
    );
    if (first) void this.#boot(options.initialThread ?? null);
  }

  async focusComposer(): Promise<void> {
    this.#input.focus();
  }

  async setThreadId(threadId: string | null): Promise<void> {
    this.#clear();
    if (threadId) await this.#loadThread(threadId);
    else this.#setThread(null);
  }

  async sendUserMessage(params: { text: string; newThread?: boolean }): Promise<void> {
    if (params.newThread) await this.setThreadId(null);
    await this.#send(params.text);
  }

  async setComposerValue(params: { text: string }): Promise<void> {
    this.#input.value = params.text;
  }

  async fetchUpdates(): Promise<void> {}
  async sendCustomAction(): Promise<void> {}
  async showHistory(): Promise<void> {}
  async hideHistory(): Promise<void> {}

  #emit(name: string, detail?: unknown) {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  async #boot(initialThread: string | null) {
    // Like the real runtime, whose frame loads first: never ready inside setOptions itself, so
    // listeners attached right after (the React bindings attach them in an effect) hear it.
    await new Promise((resolve) => setTimeout(resolve, 150));
    if (initialThread) await this.#loadThread(initialThread);
    this.#ready = true;
    this.#emit('chatkit.ready');
  }

  get #api(): CustomApiConfig {
    const api = this.#options?.api;
    if (!api || !('url' in api)) throw new Error('the development ChatKit speaks only to a custom api.url');
    return api;
  }

  async #request(body: unknown): Promise<Response> {
    const api = this.#api;
    const doFetch = api.fetch ?? fetch;
    return doFetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  async #loadThread(threadId: string) {
    this.#emit('chatkit.thread.load.start', { threadId });
    try {
      const response = await this.#request({ type: 'threads.get_by_id', params: { thread_id: threadId } });
      if (!response.ok) throw new Error(`threads.get_by_id answered ${response.status}`);
      const thread = (await response.json()) as { id: string; items: { data: Item[] } };
      this.#clear();
      this.#setThread(thread.id);
      for (const item of thread.items.data) this.#render(item);
    } catch (error) {
      this.#emit('chatkit.error', { error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      this.#emit('chatkit.thread.load.end', { threadId });
    }
  }

  #setThread(threadId: string | null) {
    if (threadId === this.#threadId) return;
    this.#threadId = threadId;
    this.#emit('chatkit.thread.change', { threadId });
  }

  #clear() {
    this.#messages.clear();
    this.#log.replaceChildren();
    this.#start.hidden = false;
  }

  async #submit() {
    const text = this.#input.value.trim();
    if (!text || this.#busy) return;
    this.#input.value = '';
    await this.#send(text);
  }

  async #send(text: string) {
    if (!this.#ready || this.#busy) return;
    this.#busy = true;
    const input = { content: [{ type: 'input_text', text }], attachments: [], inference_options: {} };
    const request = this.#threadId
      ? { type: 'threads.add_user_message', params: { thread_id: this.#threadId, input } }
      : { type: 'threads.create', params: { input } };
    this.#emit('chatkit.response.start');
    try {
      const response = await this.#request(request);
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => ({}))) as { message?: string };
        this.#notice(body.message ?? `The chat answered ${response.status}.`);
        this.#emit('chatkit.error', { error: new Error(`ChatKit request answered ${response.status}`) });
        return;
      }
      await this.#readStream(response.body);
    } catch (error) {
      this.#notice('The connection was lost.');
      this.#emit('chatkit.error', { error: error instanceof Error ? error : new Error(String(error)) });
    } finally {
      this.#busy = false;
      this.#emit('chatkit.response.end');
    }
  }

  async #readStream(body: ReadableStream<Uint8Array>) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (data) this.#handle(JSON.parse(data) as StreamEvent);
      }
    }
  }

  #handle(event: StreamEvent) {
    switch (event.type) {
      case 'thread.created':
        this.#setThread((event as { thread: { id: string } }).thread.id);
        break;
      case 'thread.item.added':
      case 'thread.item.done':
      case 'thread.item.replaced':
        this.#render((event as { item: Item }).item);
        break;
      case 'thread.item.updated': {
        const { item_id, update } = event as { item_id: string; update: { type: string; delta?: string } };
        if (update.type === 'assistant_message.content_part.text_delta') {
          const bubble = this.#bubble(item_id, 'assistant');
          bubble.textContent = (bubble.textContent ?? '') + (update.delta ?? '');
        }
        break;
      }
      case 'thread.item.removed':
        this.#messages.get((event as { item_id: string }).item_id)?.remove();
        break;
      case 'error':
        this.#notice((event as { message?: string }).message ?? 'Something went wrong. Please try again.');
        break;
      default:
        break;
    }
  }

  #render(item: Item) {
    if (item.type !== 'user_message' && item.type !== 'assistant_message') return;
    const text = (item.content ?? []).map((part) => part.text ?? '').join('');
    this.#bubble(item.id, item.type === 'user_message' ? 'user' : 'assistant').textContent = text;
  }

  #bubble(id: string, role: 'user' | 'assistant'): HTMLElement {
    let bubble = this.#messages.get(id);
    if (!bubble) {
      bubble = document.createElement('div');
      bubble.className = `msg ${role}`;
      bubble.dataset.role = role;
      this.#messages.set(id, bubble);
      this.#log.append(bubble);
      this.#start.hidden = true;
    }
    return bubble;
  }

  #notice(text: string) {
    const notice = document.createElement('div');
    notice.className = 'notice';
    notice.setAttribute('role', 'alert');
    notice.textContent = text;
    this.#log.append(notice);
  }
}

if (!customElements.get('openai-chatkit')) customElements.define('openai-chatkit', DevChatKit);
