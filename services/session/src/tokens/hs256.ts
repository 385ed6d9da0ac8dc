import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Verifies the signature of a compact HS256 JWS and returns its header and JSON payload, or null.
 * Synchronous on purpose: WebCrypto's HMAC (what jose uses) queues every verification on the
 * libuv thread pool, which costs a loaded instance milliseconds per request on the chat path.
 * Strict: exactly three parts, `alg` HS256, no `crit` or `b64`, the signature in canonical base64url.
 */
export function verifyHs256(
  token: string,
  keyFor: (kid: string | undefined) => KeyObject | undefined,
): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [encodedHeader = '', encodedPayload = '', signature = ''] = parts;
  const header = decodeJson(encodedHeader);
  if (!header || header.alg !== 'HS256' || 'crit' in header || 'b64' in header) return null;
  if (header.kid !== undefined && typeof header.kid !== 'string') return null;
  const key = keyFor(header.kid as string | undefined);
  if (!key) return null;
  const expected = Buffer.from(createHmac('sha256', key).update(`${encodedHeader}.${encodedPayload}`).digest('base64url'));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const payload = decodeJson(encodedPayload);
  return payload ? { header, payload } : null;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
