/**
 * The browser's extra lead signals (the session service already sends `auto` after every
 * answer): `idle` a while after the last response, `pagehide` when the tab goes away,
 * `chat_closed` when the panel closes. Once the server says the lead is sent they stop for that
 * thread, until the customer writes again: what they add reaches the shop as a follow-up.
 */
type BrowserTriggerReason = 'idle' | 'pagehide' | 'chat_closed';

export interface LeadTriggerDeps {
  /** Absolute or same-origin URL of POST /api/chatkit/lead. */
  endpoint: string;
  idleMs: number;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** `navigator.sendBeacon`, absent where the browser has none. */
  sendBeacon?: ((url: string, body: BodyInit) => boolean) | undefined;
  fetch: typeof fetch;
  now: () => number;
  context: () => { locale: string; pageUrl: string; user?: string | undefined };
}

export interface LeadTriggers {
  threadChanged(threadId: string | null): void;
  responseStarted(): void;
  responseEnded(): void;
  chatClosed(): void;
  pageHidden(): void;
  dispose(): void;
}

export const sentKey = (threadId: string) => `chatkit-lead-sent:${threadId}`;

export function createLeadTriggers(deps: LeadTriggerDeps): LeadTriggers {
  let threadId: string | null = null;
  let deadline: number | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const alreadySent = (id: string) => {
    try {
      return deps.storage.getItem(sentKey(id)) !== null;
    } catch {
      return false;
    }
  };
  const rememberSent = (id: string) => {
    try {
      deps.storage.setItem(sentKey(id), String(Math.floor(deps.now() / 1000)));
    } catch {
      // storage full or blocked: the server dedupes anyway
    }
  };

  const forgetSent = (id: string) => {
    try {
      deps.storage.removeItem(sentKey(id));
    } catch {
      // storage blocked: nothing was remembered either
    }
  };

  const body = (id: string, reason: BrowserTriggerReason) => JSON.stringify({ threadId: id, reason, ...deps.context() });

  const send = (reason: BrowserTriggerReason): void => {
    const id = threadId;
    if (id === null || alreadySent(id)) return;
    const payload = body(id, reason);
    // The page may be going away: a beacon survives it, and text/plain keeps it a simple request.
    if (reason === 'pagehide' && deps.sendBeacon) {
      const blob = new Blob([payload], { type: 'text/plain;charset=UTF-8' });
      if (deps.sendBeacon(deps.endpoint, blob)) return;
    }
    void deps
      .fetch(deps.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: payload,
        keepalive: true,
      })
      .then(async (response) => {
        if (!response.ok) return;
        const answer = (await response.json()) as { sent?: unknown };
        if (answer.sent === true) rememberSent(id);
      })
      .catch(() => {
        // offline or blocked: the server's own triggers and safety net still see the thread
      });
  };

  const clearIdle = () => {
    deadline = null;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  // Deadline-based: background tabs throttle timers, so a late tick checks the clock, not a count.
  const check = () => {
    timer = undefined;
    if (deadline === null) return;
    const left = deadline - deps.now();
    if (left > 0) {
      timer = setTimeout(check, left);
      return;
    }
    deadline = null;
    send('idle');
  };

  const armIdle = () => {
    clearIdle();
    if (threadId === null) return;
    deadline = deps.now() + deps.idleMs;
    timer = setTimeout(check, deps.idleMs);
  };

  return {
    threadChanged(id) {
      if (id === threadId) return;
      threadId = id;
      clearIdle();
    },
    responseStarted() {
      clearIdle();
      // A new turn: whatever the customer just wrote is news for the shop even after the lead email.
      if (threadId !== null) forgetSent(threadId);
    },
    responseEnded: armIdle,
    chatClosed() {
      clearIdle();
      send('chat_closed');
    },
    pageHidden() {
      // Send now; if the visitor comes back, the idle deadline is no longer needed for this pause.
      clearIdle();
      send('pagehide');
    },
    dispose: clearIdle,
  };
}
