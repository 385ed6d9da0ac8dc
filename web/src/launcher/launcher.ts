/**
 * The chat launcher: a button and a panel. The ChatKit runtime and the chat chunk load on the
 * visitor's first intent; ChatKit mounts when the panel first opens (it mis-measures while
 * hidden) and stays mounted while closed (the draft survives). Anything that keeps the chat from
 * working shows the fallback card instead of a blank panel.
 */
import type { OpenAIChatKit } from '@openai/chatkit';
import type { ChatCallbacks, MountedChat, mountChat } from '../chat/mount-chat.js';
import { renderFallback } from './fallback-card.js';
import { createLeadTriggers, type LeadTriggers } from './lead-triggers.js';
import { modalOnPhones } from './modal-on-phones.js';
import { loadChatKitRuntime } from './runtime-loader.js';
import { safeStorage, THREAD_KEY, USER_KEY } from './safe-storage.js';
import type { WidgetConfig } from './widget-config.js';

export interface LauncherElements {
  button: HTMLButtonElement;
  panel: HTMLElement;
}

type ChatModule = { mountChat: typeof mountChat };

export interface Launcher {
  open(): Promise<void>;
  close(): void;
  triggers: LeadTriggers;
}

export function startLauncher(config: WidgetConfig, { button, panel }: LauncherElements): Launcher {
  const mount = panel.querySelector<HTMLElement>('[data-chat-mount]') ?? panel;
  const fallback = panel.querySelector<HTMLElement>('[data-chat-fallback]') ?? panel;
  const status = panel.querySelector<HTMLElement>('[data-chat-status]');

  const triggers = createLeadTriggers({
    endpoint: `${config.apiBase}/api/chatkit/lead`,
    idleMs: config.idleMs,
    storage: safeStorage,
    sendBeacon: typeof navigator.sendBeacon === 'function' ? (url, body) => navigator.sendBeacon(url, body) : undefined,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    context: () => ({ locale: config.locale, pageUrl: location.href, user: safeStorage.getItem(USER_KEY) ?? undefined }),
  });
  const storedThread = safeStorage.getItem(THREAD_KEY);
  if (storedThread) triggers.threadChanged(storedThread);

  let chatModule: Promise<ChatModule> | null = null;
  let prepared: Promise<ChatModule> | null = null;
  let chat: MountedChat | null = null;
  let ready = false;
  let readyTimer: ReturnType<typeof setTimeout> | undefined;
  let isOpen = false;
  const modal = modalOnPhones(panel);

  const prepare = (): Promise<ChatModule> => {
    chatModule ??= import('../chat/mount-chat.js').catch((error: unknown) => {
      chatModule = null;
      throw error;
    });
    prepared ??= Promise.all([chatModule, loadChatKitRuntime(config.runtimeUrls, config.runtimeTimeoutMs)]).then(
      ([module]) => module,
      (error: unknown) => {
        prepared = null;
        throw error;
      },
    );
    return prepared;
  };
  const intent = () => {
    prepare().catch(() => {
      // shown when the visitor opens the panel
    });
  };
  for (const event of ['pointerenter', 'focus', 'touchstart'] as const)
    button.addEventListener(event, intent, { once: true, passive: true });

  const showFallback = () => {
    clearTimeout(readyTimer);
    chat?.unmount();
    chat = null;
    ready = false;
    mount.hidden = true;
    if (status) status.hidden = true;
    fallback.hidden = false;
    renderFallback(fallback, config, { retry: () => void retry(), close });
  };

  const retry = async () => {
    fallback.hidden = true;
    await startChat();
  };

  const startChat = async (initialThread: string | null = safeStorage.getItem(THREAD_KEY)) => {
    if (status) status.hidden = false;
    let module: ChatModule;
    try {
      module = await prepare();
    } catch {
      showFallback();
      return;
    }
    mount.hidden = false;
    ready = false;
    let loadingThread = initialThread;
    const callbacks: ChatCallbacks = {
      onReady: () => {
        ready = true;
        clearTimeout(readyTimer);
        if (status) status.hidden = true;
        if (isOpen)
          void mount
            .querySelector<OpenAIChatKit>('openai-chatkit')
            ?.focusComposer?.()
            .catch(() => undefined);
      },
      onError: () => {
        if (loadingThread !== null) {
          // The saved thread cannot be shown (expired, deleted, another visitor's): start afresh.
          safeStorage.removeItem(THREAD_KEY);
          chat?.unmount();
          chat = null;
          void startChat(null);
          return;
        }
        if (!ready) showFallback();
      },
      onSessionError: () => showFallback(),
      onThreadChange: (threadId) => {
        if (threadId) safeStorage.setItem(THREAD_KEY, threadId);
        else safeStorage.removeItem(THREAD_KEY);
        triggers.threadChanged(threadId);
      },
      onThreadLoadEnd: (threadId) => {
        if (threadId === loadingThread) loadingThread = null;
      },
      onResponseStart: () => triggers.responseStarted(),
      onResponseEnd: () => {
        loadingThread = null;
        triggers.responseEnded();
      },
      onClose: () => close(),
    };
    clearTimeout(readyTimer);
    readyTimer = setTimeout(() => {
      if (!ready) showFallback();
    }, config.readyTimeoutMs);
    chat = module.mountChat(mount, config, initialThread, callbacks);
  };

  const open = async () => {
    if (isOpen) return;
    isOpen = true;
    panel.hidden = false;
    document.documentElement.classList.add('chat-open');
    button.setAttribute('aria-expanded', 'true');
    modal.opened();
    if (chat === null && fallback.hidden) await startChat();
    const element = mount.querySelector<OpenAIChatKit>('openai-chatkit');
    if (element && ready) void element.focusComposer?.().catch(() => undefined);
    else panel.focus();
  };

  function close() {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    document.documentElement.classList.remove('chat-open');
    button.setAttribute('aria-expanded', 'false');
    modal.closed();
    button.focus();
    triggers.chatClosed();
  }

  button.addEventListener('click', () => (isOpen ? close() : void open()));
  // On the document: a key pressed inside ChatKit's own frame never reaches the panel.
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && isOpen) close();
  });
  // No `unload` handlers: they break the back/forward cache. pagehide and hidden cover leaving.
  addEventListener('pagehide', () => triggers.pageHidden());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') triggers.pageHidden();
  });

  return { open, close, triggers };
}
