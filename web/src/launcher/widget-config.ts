/**
 * What the launcher needs at run time: written by the site build into each page (and into
 * `chat-config/<locale>.json` for the embed). Only the chat's own words, not the whole site copy.
 */
import type { Copy } from '../copy/copy.js';

export const CHAT_TEXT_KEYS = [
  'launcher',
  'closeChat',
  'chatTitle',
  'greeting',
  'prompts',
  'placeholder',
  'disclaimer',
  'fallbackTitle',
  'fallbackBody',
  'fallbackCall',
  'fallbackText',
  'fallbackEmail',
  'retry',
  'loading',
] as const satisfies ReadonlyArray<keyof Copy>;
export type ChatText = Pick<Copy, (typeof CHAT_TEXT_KEYS)[number]>;

export interface WidgetConfig {
  locale: string;
  /** ChatKit's spelling of the locale. */
  chatKitLocale: string;
  dir: 'ltr' | 'rtl';
  /** Base URL of this deployment's `/api` routes, '' = same origin. */
  apiBase: string;
  /** `api.url` for ChatKit: where the chat streams from (Hosting rewrites buffer SSE). */
  chatKitUrl: string;
  /** ChatKit domain key; empty on localhost (ChatKit skips domain verification there). */
  domainKey: string;
  /** The ChatKit runtime, tried in order. */
  runtimeUrls: readonly string[];
  /** ms to wait for each runtime URL, and for `chatkit.ready` after mounting. */
  runtimeTimeoutMs: number;
  readyTimeoutMs: number;
  /** ms without a response before the `idle` trigger. */
  idleMs: number;
  shop: {
    name: string;
    phone: string;
    phoneDisplay: string;
    email: string;
    accentColor: string;
  };
  /** The chat's own words in the page's language (a slice of the site copy). */
  text: ChatText;
}

export const DEFAULT_RUNTIME_URL = 'https://cdn.platform.openai.com/deployments/chatkit/chatkit.js';
