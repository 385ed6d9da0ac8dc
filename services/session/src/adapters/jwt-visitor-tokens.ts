import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { verifyHs256 } from '../tokens/hs256.js';
import type { VisitorTokenKeys } from './visitor-token-keys.js';

/** What a visitor token proves: who the visitor is, and the page they chat from. */
export interface VisitorClaims {
  user: string;
  locale: string;
  pageUrl: string | null;
  /** Epoch seconds. */
  expiresAt: number;
}

/** What a visitor proof proves: this browser was given this identity. */
export interface VisitorProofClaims {
  user: string;
  /** Epoch seconds. */
  expiresAt: number;
  /** Signed by the key that signs now (false: an older key still listed, so a new proof is due). */
  currentKey: boolean;
}

export interface VisitorTokenIssuer {
  issue(claims: Omit<VisitorClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }>;
  /** The claims of a valid token, or null (missing, expired, forged, other audience, unknown key). */
  verify(token: string): Promise<VisitorClaims | null>;
  /** The long-lived proof of an identity the widget keeps and shows to mint again (never a bearer token). */
  issueProof(user: string): Promise<{ proof: string; expiresAt: number }>;
  /** The identity a valid proof proves, or null (expired, forged, a token, unknown key). */
  verifyProof(proof: string): Promise<VisitorProofClaims | null>;
  /** A keyed hash of a visitor id for the logs: stable per id, useless without the key. */
  logId(user: string): Promise<string>;
}

const ISSUER = 'chatkit-lead-intake/session';
/** Tokens authorize /api/chatkit. */
const AUDIENCE = 'chatkit-lead-intake/chatkit';
/** Proofs only re-mint at /api/chatkit/session: their audience is not the token's, and the other way round. */
const PROOF_AUDIENCE = 'chatkit-lead-intake/visitor';

export interface VisitorTokenLifetimes {
  /** A visitor token's lifetime (VISITOR_TOKEN_TTL_SECONDS). */
  tokenTtlSeconds: number;
  /** A proof's lifetime: a visitor who comes back within it keeps their identity (CHAT_RETENTION_DAYS). */
  proofTtlSeconds: number;
}

/**
 * HS256 JWTs with a `kid`, so keys rotate without logging anyone out: signed by jose, verified
 * synchronously (hs256.ts) with jose's `jwtVerify` rules for our options. Our own tokens: a visitor
 * token authorizes `/api/chatkit` for one visitor id and is worth nothing anywhere else; a proof
 * (another audience) only gets that visitor id back from `/api/chatkit/session` (decision 0022).
 */
export class JwtVisitorTokens implements VisitorTokenIssuer {
  constructor(
    private readonly keys: () => Promise<VisitorTokenKeys>,
    private readonly lifetimes: VisitorTokenLifetimes,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private seconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  private async sign(claims: Record<string, string>, subject: string, audience: string, ttlSeconds: number) {
    const { signing } = await this.keys();
    const issuedAt = this.seconds();
    const expiresAt = issuedAt + ttlSeconds;
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: signing.kid, typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      .sign(signing.secret);
    return { jwt, expiresAt };
  }

  async issue(claims: Omit<VisitorClaims, 'expiresAt'>): Promise<{ token: string; expiresAt: number }> {
    const payload = { loc: claims.locale, ...(claims.pageUrl ? { url: claims.pageUrl } : {}) };
    const { jwt, expiresAt } = await this.sign(payload, claims.user, AUDIENCE, this.lifetimes.tokenTtlSeconds);
    return { token: jwt, expiresAt };
  }

  async issueProof(user: string): Promise<{ proof: string; expiresAt: number }> {
    const { jwt, expiresAt } = await this.sign({}, user, PROOF_AUDIENCE, this.lifetimes.proofTtlSeconds);
    return { proof: jwt, expiresAt };
  }

  /** The payload and key id of a valid JWT for `audience`, or null. */
  private async verified(jwt: string, audience: string): Promise<{ payload: Record<string, unknown>; kid: string } | null> {
    const { byKid } = await this.keys();
    const verified = verifyHs256(jwt, (kid) => (kid ? byKid.get(kid)?.hmac : undefined));
    if (!verified) return null;
    const { payload } = verified;
    const now = this.seconds();
    if (payload.iss !== ISSUER || !(payload.aud === audience || (Array.isArray(payload.aud) && payload.aud.includes(audience))))
      return null;
    if (typeof payload.sub !== 'string') return null;
    if (typeof payload.exp !== 'number' || payload.exp <= now) return null;
    if (payload.iat !== undefined && typeof payload.iat !== 'number') return null;
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf > now)) return null;
    return { payload, kid: verified.header.kid as string };
  }

  async verify(token: string): Promise<VisitorClaims | null> {
    const verified = await this.verified(token, AUDIENCE);
    if (!verified || typeof verified.payload.loc !== 'string') return null;
    const { payload } = verified;
    return {
      user: payload.sub as string,
      locale: payload.loc as string,
      pageUrl: typeof payload.url === 'string' ? payload.url : null,
      expiresAt: payload.exp as number,
    };
  }

  async verifyProof(proof: string): Promise<VisitorProofClaims | null> {
    const verified = await this.verified(proof, PROOF_AUDIENCE);
    if (!verified) return null;
    const { signing } = await this.keys();
    return { user: verified.payload.sub as string, expiresAt: verified.payload.exp as number, currentKey: verified.kid === signing.kid };
  }

  async logId(user: string): Promise<string> {
    const { logHash } = await this.keys();
    return createHmac('sha256', logHash).update(user).digest('base64url').slice(0, 16);
  }
}
