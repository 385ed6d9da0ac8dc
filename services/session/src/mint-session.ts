import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { resolveLocale, shopClock, toStateVariables, type ShopProfile } from '@lead-intake/shared';
import type { SessionRequest, SessionResponse } from '@lead-intake/shared/api';
import type { ChatKitSessionsPort, StateVariables } from './chatkit-sessions-port.js';

export interface MintSessionDeps {
  sessions: ChatKitSessionsPort;
  secrets: { get(): Promise<{ CHATKIT_WORKFLOW_ID: string }> };
  shop: ShopProfile;
  now: () => Date;
}

/** A server-picked visitor id for browsers that did not send one. */
export const newAnonUserId = (): string => `anon_${randomBytes(16).toString('base64url')}`;

/**
 * Mints a ChatKit client secret for a visitor. The workflow gets the page's locale and URL and
 * the shop's local clock (computed here so the agent never guesses day or opening hours).
 * A refresh (`current` set) is the same operation: ChatKit swaps in the fresh secret.
 */
export async function mintSession(
  deps: MintSessionDeps,
  request: SessionRequest,
  log: Logger,
): Promise<SessionResponse> {
  const { CHATKIT_WORKFLOW_ID: workflowId } = await deps.secrets.get();
  const user = request.user ?? newAnonUserId();
  const locale = resolveLocale(request.locale, deps.shop.locales.supported, deps.shop.locales.default);
  const clock = shopClock(deps.shop, deps.now());
  const stateVariables: StateVariables = { ...toStateVariables(clock, { locale, page_url: request.pageUrl ?? '' }) };

  const minted = await deps.sessions.create({ user, workflowId, stateVariables });
  log.info(
    { user, locale, refresh: Boolean(request.current), userGenerated: !request.user, expiresAt: minted.expiresAt },
    'chatkit session minted',
  );
  return { client_secret: minted.clientSecret, expires_at: minted.expiresAt };
}
