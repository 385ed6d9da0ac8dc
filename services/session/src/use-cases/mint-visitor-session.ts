import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SessionRequest, SessionResponse } from '@lead-intake/shared/api';
import type { VisitorTokens } from '../ports.js';

export interface MintVisitorSessionDeps {
  tokens: VisitorTokens;
  resolveLocale: (locale: string | undefined) => string;
  /** Epoch seconds now. */
  now: () => number;
  /** A proof's lifetime; one with less than half of it left is replaced by a new one. */
  proofTtlSeconds: number;
}

/** A server-picked visitor id: 128 random bits, so nobody guesses one. */
const newAnonUserId = (): string => `anon_${randomBytes(16).toString('base64url')}`;

/**
 * Mints our own short-lived visitor token for the identity the request proves, bound to the page
 * it chats from. Only a valid `proof` (issued by us to this browser earlier) proves an identity:
 * a bare `user` id, or the `current` token (it travels on every chat request and lives minutes),
 * never does; without a proof the visitor gets a new identity, never someone else's
 * conversations (decision 0022). A new proof comes with a new identity, and replaces one that is
 * past half its life or was signed by an older key (so a returning visitor keeps their identity
 * across key rotations); otherwise the answer has none and the browser keeps the one it has.
 */
export async function mintVisitorSession(
  deps: MintVisitorSessionDeps,
  request: SessionRequest,
  /** Only when it logs at debug (a request logger costs more than the mint). */
  log?: Logger,
): Promise<SessionResponse> {
  const proven = request.proof ? await deps.tokens.verifyProof(request.proof) : null;
  const user = proven?.user ?? newAnonUserId();
  const locale = deps.resolveLocale(request.locale);
  const renew = !proven || !proven.currentKey || proven.expiresAt - deps.now() < deps.proofTtlSeconds / 2;
  const [{ token, expiresAt }, proof] = await Promise.all([
    deps.tokens.issue({ user, locale, pageUrl: request.pageUrl ?? null }),
    renew ? deps.tokens.issueProof(user).then((issued) => issued.proof) : undefined,
  ]);
  if (log) {
    log.debug(
      {
        visitor: await deps.tokens.logId(user),
        locale,
        refresh: Boolean(request.current),
        newIdentity: !proven,
        // An id shown without its proof (a forged claim, or a visitor of the widget before proofs).
        unprovenId: Boolean(request.user && request.user !== user),
        proofRenewed: renew,
      },
      'visitor session minted',
    );
  }
  // No proof in the answer: the one presented stays good (the browser keeps it).
  return { token, expires_at: expiresAt, user, ...(proof ? { proof } : {}) };
}
