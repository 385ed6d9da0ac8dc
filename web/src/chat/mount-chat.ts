/**
 * The chat chunk, loaded on the visitor's first intent: ChatKit's React bindings (on
 * preact/compat, see docs/decisions) mounting `<openai-chatkit>` with our options.
 */
import { ChatKit, useChatKit } from '@openai/chatkit-react';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { WidgetConfig } from '../launcher/widget-config.js';
import { PROOF_KEY, safeStorage, USER_KEY } from '../launcher/safe-storage.js';
import { chatKitOptions } from './chatkit-options.js';
import { createVisitorSession, type VisitorSession } from './visitor-session.js';

export interface ChatCallbacks {
  onReady(): void;
  onError(error: Error): void;
  /** The visitor token could not be minted: the chat cannot work at all. */
  onSessionError(error: Error): void;
  onThreadChange(threadId: string | null): void;
  onThreadLoadEnd(threadId: string): void;
  onResponseStart(): void;
  onResponseEnd(): void;
  onClose(): void;
}

export interface MountedChat {
  session: VisitorSession;
  unmount(): void;
}

export function mountChat(
  container: HTMLElement,
  config: WidgetConfig,
  initialThread: string | null,
  callbacks: ChatCallbacks,
): MountedChat {
  const session = createVisitorSession({
    sessionUrl: `${config.apiBase}/api/chatkit/session`,
    storage: safeStorage,
    userKey: USER_KEY,
    proofKey: PROOF_KEY,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    context: () => ({ locale: config.locale, pageUrl: location.href }),
  });
  // Minting first: a failing session endpoint shows the fallback before ChatKit is even asked.
  session.token().catch((error: unknown) => callbacks.onSessionError(error instanceof Error ? error : new Error(String(error))));

  function Chat() {
    const { control } = useChatKit({
      ...chatKitOptions(config, { fetch: session.fetch, initialThread, onClose: callbacks.onClose }),
      onReady: callbacks.onReady,
      onError: ({ error }) => callbacks.onError(error),
      onThreadChange: ({ threadId }) => callbacks.onThreadChange(threadId),
      onThreadLoadEnd: ({ threadId }) => callbacks.onThreadLoadEnd(threadId),
      onResponseStart: callbacks.onResponseStart,
      onResponseEnd: callbacks.onResponseEnd,
    });
    return createElement(ChatKit, { control, className: 'chat-frame' });
  }

  const root = createRoot(container);
  root.render(createElement(Chat));
  return { session, unmount: () => root.unmount() };
}
