import { createSecretKey, hkdfSync, type KeyObject, type webcrypto } from 'node:crypto';
import { ConfigError } from '@lead-intake/shared';

/**
 * The visitor-token signing keys, from one secret value: `kid:base64url-key[,kid:key…]`. The first
 * key signs; every listed key verifies, so a rotation adds the new key in front, waits one token
 * lifetime, then drops the old one.
 */
interface SigningKey {
  kid: string;
  /** Imported once: re-importing raw bytes on every sign or verification is most of a token's cost. */
  secret: webcrypto.CryptoKey;
}

export interface VisitorTokenKeys {
  signing: SigningKey;
  byKid: ReadonlyMap<string, SigningKey>;
  /**
   * Keys the hash of a visitor id in the logs: derived from the signing key (HKDF, its own
   * label), so it is as secret as the key and never usable to sign; a rotation changes it.
   */
  logHash: KeyObject;
}

const MIN_KEY_BYTES = 32;

export async function parseVisitorTokenKeys(value: string): Promise<VisitorTokenKeys> {
  const keys: SigningKey[] = [];
  let signingSecret: Buffer | undefined;
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':');
    const kid = colon > 0 ? entry.slice(0, colon) : '';
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(kid)) {
      throw new ConfigError('VISITOR_TOKEN_KEYS: each entry is "kid:base64url-key" with a kid of 1-32 of A-Z a-z 0-9 _ -');
    }
    const secret = Buffer.from(entry.slice(colon + 1), 'base64url');
    if (secret.length < MIN_KEY_BYTES) {
      throw new ConfigError(`VISITOR_TOKEN_KEYS: key "${kid}" must decode to at least ${MIN_KEY_BYTES} bytes`);
    }
    const key = await crypto.subtle.importKey('raw', new Uint8Array(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.push({ kid, secret: key });
    signingSecret ??= secret;
  }
  const [signing] = keys;
  if (!signing || !signingSecret) throw new ConfigError('VISITOR_TOKEN_KEYS: no key');
  const logHash = createSecretKey(
    Buffer.from(hkdfSync('sha256', signingSecret, Buffer.alloc(0), 'chatkit-lead-intake/visitor-log-hash', 32)),
  );
  return { signing, byKid: new Map(keys.map((key) => [key.kid, key])), logHash };
}
