import { createHash, sign } from 'node:crypto';
import type { SigningKey } from './signing-key.js';

/**
 * Google-style OIDC ID tokens as Cloud Tasks attaches them for `oidc_token`
 * (RS256, header kid; iss, aud, azp, sub, email, email_verified, iat, exp = iat + 3600).
 */

export const DEFAULT_OIDC_ISSUER = 'https://accounts.google.com';
const TOKEN_LIFETIME_SECONDS = 3600;

interface IdTokenClaims {
  iss: string;
  aud: string;
  azp: string;
  sub: string;
  email: string;
  email_verified: true;
  iat: number;
  exp: number;
}

/** A stable 21-digit "unique id" for a service account, like Google's numeric subject ids. */
function subjectFor(email: string): string {
  const digest = createHash('sha256').update(email).digest();
  return `1${(digest.readBigUInt64BE(0) % 10n ** 20n).toString().padStart(20, '0')}`;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function mintIdToken(
  key: SigningKey,
  options: { issuer: string; audience: string; serviceAccountEmail: string; nowMs: number },
): string {
  const iat = Math.floor(options.nowMs / 1000);
  const sub = subjectFor(options.serviceAccountEmail);
  const claims: IdTokenClaims = {
    iss: options.issuer,
    aud: options.audience,
    azp: sub,
    sub,
    email: options.serviceAccountEmail,
    email_verified: true,
    iat,
    exp: iat + TOKEN_LIFETIME_SECONDS,
  };
  const signingInput = `${base64url({ alg: 'RS256', kid: key.kid, typ: 'JWT' })}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput), key.privateKey).toString('base64url');
  return `${signingInput}.${signature}`;
}
