/**
 * A development `<openai-chatkit>`: the real runtime (chatkit.js) comes only from OpenAI's CDN,
 * so offline the dev gateway serves this instead. It takes the same `setOptions` (custom `api`,
 * `initialThread`, header, start screen, composer, disclaimer), speaks the real ChatKit protocol
 * to `api.url` through `api.fetch`, renders the conversation and fires the same `chatkit.*`
 * events, and behaves like ChatKit where a visitor sees it (decision 0021). Never part of a
 * production build (docs/decisions/0013-development-chatkit-element-and-gateway.md).
 */
import type { ChatKitOptions, CustomApiConfig } from '@openai/chatkit';
import { directionOf, labelsFor, type Labels } from './element-labels.js';
import { nextRevealLength, textRuns } from './element-text.js';

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
svg{display:block;width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.close{border:1px solid #ccc;background:#fff;border-radius:8px;padding:6px 8px}
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
.send{border:0;border-radius:8px;padding:0 14px;background:var(--accent,#8b1e2d);color:#fff}
.frame[dir=rtl] .send svg{transform:scaleX(-1)}
.disclaimer{margin:0;padding:0 12px 10px;font-size:12px;color:#555}
`;

const CLOSE_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>';
/** Points the way text runs: mirrored on right-to-left pages. */
const SEND_ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12h15M13 6l6 6-6 6"/></svg>';

/** Writes text with its left-to-right runs (phone numbers, e-mail addresses, links) isolated. */
function renderText(target: HTMLElement, text: string): void {
  target.replaceChildren(
    ...textRuns(text).map((run) => {
      if (!run.ltr) return document.createTextNode(run.text);
      const bdi = document.createElement('bdi');
      bdi.dir = 'ltr';
      bdi.textContent = run.text;
      return bdi;
    }),
  );
}

/** How close to the end (px) still counts as "at the newest message" for following the stream. */
const FOLLOW_SLACK_PX = 48;

class DevChatKit extends HTMLElement {
  #options: ChatKitOptions | null = null;
  #labels: Labels = labelsFor('en');
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
  #frame!: HTMLElement;
  #sendButton!: HTMLButtonElement;
  #messages = new Map<string, HTMLElement>();
  /** Streamed text per assistant bubble: the whole text received, and how much is painted. */
  #texts = new Map<HTMLElement, { target: string; shown: number }>();
  #paintFrame = 0;
  #painted: Array<() => void> = [];
  /** Follow new text to the end unless the visitor scrolled up to read. */
  #following = true;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.innerHTML = `<style>${STYLE}</style><div class="frame">
      <div class="bar"><h2></h2><span class="badge">dev ChatKit</span><button type="button" class="close" hidden>${CLOSE_ICON}</button></div>
      <div class="start"><p class="greeting"></p><div class="prompts"></div></div>
      <div class="log" role="log" aria-live="polite"></div>
      <form><textarea rows="1"></textarea><button class="send" type="submit">${SEND_ICON}</button></form>
      <p class="disclaimer"></p></div>`;
    this.#frame = this.#root.querySelector('.frame')!;
    this.#sendButton = this.#root.querySelector('.send')!;
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
    this.#log.addEventListener('scroll', () => {
      this.#following = this.#log.scrollHeight - this.#log.scrollTop - this.#log.clientHeight <= FOLLOW_SLACK_PX;
    });
    // No animation frames while the page is hidden: show the whole text at once there.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.#paint(true);
    });
    this.#applyLocale();
  }

  /** Labels and direction from ChatKit's `locale` option (else the browser's language), as the runtime does. */
  #applyLocale() {
    const locale = this.#options?.locale ?? navigator.language ?? 'en';
    this.#labels = labelsFor(locale);
    this.#frame.lang = locale;
    this.#frame.dir = directionOf(locale);
    this.#input.setAttribute('aria-label', this.#labels.message);
    this.#sendButton.setAttribute('aria-label', this.#labels.send);
    this.#close.setAttribute('aria-label', this.#labels.close);
  }

  setOptions(options: ChatKitOptions): void {
    const first = this.#options === null;
    this.#options = options;
    this.#applyLocale();
    this.#title.textContent = options.header?.title?.text ?? 'Chat';
    this.#close.hidden = !options.header?.rightAction;
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
      for (const item of thread.items.data) this.#render(item, false);
      this.#follow(true);
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
    this.#texts.clear();
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
        this.#notice(body.message ?? this.#labels.answered(response.status));
        this.#emit('chatkit.error', { error: new Error(`ChatKit request answered ${response.status}`) });
        return;
      }
      await this.#readStream(response.body);
      // The response ends when the visitor can read all of it, as in ChatKit.
      await this.#allPainted();
    } catch (error) {
      this.#paint(true);
      this.#notice(this.#labels.connectionLost);
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
        this.#render((event as { item: Item }).item, true);
        break;
      case 'thread.item.updated': {
        const { item_id, update } = event as { item_id: string; update: { type: string; delta?: string } };
        if (update.type === 'assistant_message.content_part.text_delta') {
          const bubble = this.#bubble(item_id, 'assistant');
          this.#reveal(bubble, (this.#texts.get(bubble)?.target ?? '') + (update.delta ?? ''));
        }
        break;
      }
      case 'thread.item.removed':
        this.#messages.get((event as { item_id: string }).item_id)?.remove();
        break;
      case 'error':
        this.#notice((event as { message?: string }).message ?? this.#labels.genericError);
        break;
      default:
        break;
    }
  }

  /** A whole item: a streamed assistant reply keeps painting progressively, the rest shows at once. */
  #render(item: Item, streamed: boolean) {
    if (item.type !== 'user_message' && item.type !== 'assistant_message') return;
    const text = (item.content ?? []).map((part) => part.text ?? '').join('');
    const isUser = item.type === 'user_message';
    const bubble = this.#bubble(item.id, isUser ? 'user' : 'assistant');
    if (streamed && !isUser) {
      this.#reveal(bubble, text);
      return;
    }
    this.#texts.delete(bubble);
    renderText(bubble, text);
    // The visitor's own message brings the conversation's end into view, as ChatKit does.
    this.#follow(streamed && isUser);
  }

  /** Streamed text paints a little per frame (ChatKit smooths a burst of deltas the same way). */
  #reveal(bubble: HTMLElement, target: string) {
    const text = this.#texts.get(bubble);
    if (text) text.target = target;
    else this.#texts.set(bubble, { target, shown: 0 });
    if (document.visibilityState === 'hidden') this.#paint(true);
    else this.#paintFrame ||= requestAnimationFrame(() => this.#paint(false));
  }

  #paint(all: boolean) {
    cancelAnimationFrame(this.#paintFrame);
    this.#paintFrame = 0;
    let pending = false;
    for (const [bubble, text] of this.#texts) {
      if (text.shown === text.target.length) continue;
      text.shown = all ? text.target.length : nextRevealLength(text.shown, text.target);
      renderText(bubble, text.target.slice(0, text.shown));
      pending ||= text.shown < text.target.length;
    }
    this.#follow(false);
    if (pending) this.#paintFrame = requestAnimationFrame(() => this.#paint(false));
    else for (const resolve of this.#painted.splice(0)) resolve();
  }

  #allPainted(): Promise<void> {
    if (![...this.#texts.values()].some((text) => text.shown < text.target.length)) return Promise.resolve();
    return new Promise((resolve) => this.#painted.push(resolve));
  }

  /** Keeps the newest message in view while the visitor is at the end (or always, when `force`). */
  #follow(force: boolean) {
    if (!force && !this.#following) return;
    this.#log.scrollTop = this.#log.scrollHeight;
    this.#following = true;
  }

  #bubble(id: string, role: 'user' | 'assistant'): HTMLElement {
    let bubble = this.#messages.get(id);
    if (!bubble) {
      bubble = document.createElement('div');
      bubble.className = `msg ${role}`;
      bubble.dataset.role = role;
      // Each message takes its direction from its own text (an English message on an Arabic page).
      bubble.dir = 'auto';
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
    notice.dir = 'auto';
    renderText(notice, text);
    this.#log.append(notice);
    this.#follow(true);
  }
}

if (!customElements.get('openai-chatkit')) customElements.define('openai-chatkit', DevChatKit);
