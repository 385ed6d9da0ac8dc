import { SignJWT } from 'jose';
import { verifyHs256 } from './hs256.js';
import type { VisitorTokenKeys } from './visitor-token-keys.js';

/** What a visitor token proves: who the visitor is, and the page they chat from. */
export interface VisitorClaims {
  user: string;
  locale: string;
  pageUrl: string | null;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface VisitorTokenIssuer {
  issue(claims: Omit<VisitorClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }>;
  /** The claims of a valid token, or null (missing, expired, forged, other audience, unknown key). */
  verify(token: string): Promise<VisitorClaims | null>;
}

const ISSUER = 'chatkit-lead-intake/session';
const AUDIENCE = 'chatkit-lead-intake/chatkit';

/**
 * HS256 JWTs with a `kid`, so keys rotate without logging anyone out: signed by jose, verified
 * synchronously (hs256.ts) with jose's `jwtVerify` rules for our options. Our own token: it
 * authorizes `/api/chatkit` for one visitor id and is worth nothing anywhere else.
 */
export class JwtVisitorTokens implements VisitorTokenIssuer {
  constructor(
    private readonly keys: () => Promise<VisitorTokenKeys>,
    private readonly ttlSeconds: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue(claims: Omit<VisitorClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }> {
    const { signing } = await this.keys();
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ loc: claims.locale, ...(claims.pageUrl ? { url: claims.pageUrl } : {}) })
      .setProtectedHeader({ alg: 'HS256', kid: signing.kid, typ: 'JWT' })
      .setSubject(claims.user)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signing.secret);
    return { token, expiresAt };
  }

  async verify(token: string): Promise<VisitorClaims | null> {
    const { byKid } = await this.keys();
    const verified = verifyHs256(token, (kid) => (kid ? byKid.get(kid)?.hmac : undefined));
    if (!verified) return null;
    const { payload } = verified;
    const now = Math.floor(this.now().getTime() / 1000);
    if (payload.iss !== ISSUER || !(payload.aud === AUDIENCE || (Array.isArray(payload.aud) && payload.aud.includes(AUDIENCE))))
      return null;
    if (typeof payload.sub !== 'string' || typeof payload.loc !== 'string') return null;
    if (typeof payload.exp !== 'number' || payload.exp <= now) return null;
    if (payload.iat !== undefined && typeof payload.iat !== 'number') return null;
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) return null;
    return {
      user: payload.sub,
      locale: payload.loc,
      pageUrl: typeof payload.url === 'string' ? payload.url : null,
      expiresAt: payload.exp,
    };
  }
}
