import { createHmac } from 'node:crypto';
import { SignJWT, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { VisitorClaims, VisitorProofClaims, VisitorTokens } from '../ports.js';
import type { VisitorTokenKeys } from './visitor-token-keys.js';

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
 * Adapter: HS256 JWTs with a `kid`, so keys rotate without logging anyone out, signed and verified
 * by jose. Our own tokens: a visitor token authorizes `/api/chatkit` for one visitor id and is
 * worth nothing anywhere else; a proof (another audience) only gets that visitor id back from
 * `/api/chatkit/session` (decision 0022).
 */
export class JwtVisitorTokens implements VisitorTokens {
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

  /** The payload and key id of a valid JWT for `audience` (jose's `jwtVerify`), or null. */
  private async verified(jwt: string, audience: string): Promise<{ payload: JWTPayload; kid: string } | null> {
    const { byKid } = await this.keys();
    let kid = '';
    const keyFor = (header: JWTHeaderParameters) => {
      // We never issue `crit` or `b64`: a token with either is not ours, even where jose understands it.
      const key = header.crit === undefined && !('b64' in header) && header.kid ? byKid.get(header.kid) : undefined;
      if (!key) throw new errors.JWSSignatureVerificationFailed();
      kid = key.kid;
      return key.secret;
    };
    try {
      const { payload } = await jwtVerify(jwt, keyFor, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience,
        requiredClaims: ['sub', 'exp'],
        currentDate: this.now(),
      });
      return typeof payload.sub === 'string' ? { payload, kid } : null;
    } catch {
      return null;
    }
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
