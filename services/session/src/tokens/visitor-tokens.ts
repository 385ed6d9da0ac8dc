import { SignJWT, errors, jwtVerify, type JWTHeaderParameters } from 'jose';
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
 * HS256 JWTs (jose) with a `kid`, so keys rotate without logging anyone out. Our own token: it
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
    try {
      const { payload } = await jwtVerify(
        token,
        (header: JWTHeaderParameters) => {
          const key = header.kid ? byKid.get(header.kid) : undefined;
          if (!key) throw new errors.JWSSignatureVerificationFailed('unknown key id');
          return key.secret;
        },
        { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: this.now(), requiredClaims: ['sub', 'exp'] },
      );
      if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number' || typeof payload.loc !== 'string') return null;
      return {
        user: payload.sub,
        locale: payload.loc,
        pageUrl: typeof payload.url === 'string' ? payload.url : null,
        expiresAt: payload.exp,
      };
    } catch (error) {
      if (error instanceof errors.JOSEError) return null;
      throw error;
    }
  }
}
