import { createHash, generateKeyPair } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { selfSignedCertificatePem } from './x509.js';

/** The emulator's RSA signing key for OIDC tokens, published as PEM certificate and JWK. */

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** `{ [kid]: "-----BEGIN CERTIFICATE-----…" }`, the /oauth2/v1/certs format. */
  pemCerts: Record<string, string>;
  /** `{ keys: [JWK] }`, the /oauth2/v3/certs format. */
  jwks: { keys: Array<Record<string, unknown>> };
}

const generate = promisify(generateKeyPair);

export async function createSigningKey(now: Date = new Date()): Promise<SigningKey> {
  const { privateKey, publicKey } = await generate('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 40);
  const certificate = selfSignedCertificatePem({
    privateKey,
    publicKey,
    commonName: 'cloud-emulator-oidc',
    notBefore: new Date(now.getTime() - 24 * 3600_000),
    notAfter: new Date(now.getTime() + 30 * 24 * 3600_000),
  });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    kid,
    privateKey,
    pemCerts: { [kid]: certificate },
    jwks: { keys: [{ kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', use: 'sig', kid }] },
  };
}
