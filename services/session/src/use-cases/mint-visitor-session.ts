import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SessionRequest, SessionResponse } from '@lead-intake/shared/api';
import type { VisitorTokenIssuer } from '../tokens/visitor-tokens.js';

export interface MintVisitorSessionDeps {
  tokens: VisitorTokenIssuer;
  resolveLocale: (locale: string | undefined) => string;
}

/** A server-picked visitor id for browsers that did not send one. */
const newAnonUserId = (): string => `anon_${randomBytes(16).toString('base64url')}`;

/**
 * Mints our own short-lived visitor token, bound to the visitor id (kept by the browser) and the
 * page it chats from. A refresh (`current` set) is the same operation: the widget swaps tokens.
 */
export async function mintVisitorSession(
  deps: MintVisitorSessionDeps,
  request: SessionRequest,
  /** Only when it logs at debug (a request logger costs more than the mint). */
  log?: Logger,
): Promise<SessionResponse> {
  const user = request.user ?? newAnonUserId();
  const locale = deps.resolveLocale(request.locale);
  const { token, expiresAt } = await deps.tokens.issue({ user, locale, pageUrl: request.pageUrl ?? null });
  log?.debug({ user, locale, refresh: Boolean(request.current), userGenerated: !request.user }, 'visitor session minted');
  return { token, expires_at: expiresAt, user };
}
