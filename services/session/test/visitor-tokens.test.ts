import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignJWT, errors, jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import { parseVisitorTokenKeys } from '../src/adapters/visitor-token-keys.js';
import { JwtVisitorTokens } from '../src/adapters/jwt-visitor-tokens.js';

const ISSUER = 'chatkit-lead-intake/session';
const AUDIENCE = 'chatkit-lead-intake/chatkit';
const keyBytes = new Uint8Array(Buffer.alloc(32, 7));
const TEST_KEYS = `k1:${Buffer.from(keyBytes).toString('base64url')}`;
const now = Math.floor(Date.now() / 1000);
const good = { sub: 'anon_visitor_0001', loc: 'en', iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 };

const sign = (payload: JWTPayload, header: Record<string, unknown> = { alg: 'HS256', kid: 'k1', typ: 'JWT' }, key = keyBytes) =>
  new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Signs what jose refuses to sign (unknown `crit`, a non-object payload). */
const signRaw = (header: unknown, payload: unknown) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', keyBytes).update(input).digest('base64url')}`;
};

/** What jose's jwtVerify (the rules the service verified with before) says about a token. */
async function joseAccepts(token: string): Promise<boolean> {
  const byKid = (header: JWTHeaderParameters) => {
    if (header.kid !== 'k1') throw new errors.JWSSignatureVerificationFailed('unknown key id');
    return keyBytes;
  };
  try {
    const { payload } = await jwtVerify(token, byKid, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['sub', 'exp'],
    });
    return typeof payload.sub === 'string' && typeof payload.loc === 'string';
  } catch {
    return false;
  }
}

describe('visitor token verification', () => {
  it('when tokens are valid, expired, early, forged or malformed, then it accepts exactly what jose accepts', async () => {
    const tokens = new JwtVisitorTokens(async () => parseVisitorTokenKeys(TEST_KEYS), { tokenTtlSeconds: 900, proofTtlSeconds: 86_400 });
    const valid = await sign(good);
    const [h, p] = valid.split('.');
    const cases: Record<string, string> = {
      valid,
      'audience list': await sign({ ...good, aud: ['other', AUDIENCE] }),
      'no typ': await sign(good, { alg: 'HS256', kid: 'k1' }),
      expired: await sign({ ...good, exp: now - 1 }),
      'not yet valid': await sign({ ...good, nbf: now + 60 }),
      'valid from now': await sign({ ...good, nbf: now - 1 }),
      'iat not a number': await sign({ ...good, iat: 'yesterday' as unknown as number }),
      'other issuer': await sign({ ...good, iss: 'someone-else' }),
      'other audience': await sign({ ...good, aud: 'elsewhere' }),
      'no exp': await sign({ sub: good.sub, loc: 'en', iss: ISSUER, aud: AUDIENCE }),
      'no sub': await sign({ loc: 'en', iss: ISSUER, aud: AUDIENCE, exp: now + 600 }),
      'no locale': await sign({ sub: good.sub, iss: ISSUER, aud: AUDIENCE, exp: now + 600 }),
      'other key': await sign(good, undefined, new Uint8Array(32).fill(9)),
      'unknown kid': await sign(good, { alg: 'HS256', kid: 'k2' }),
      'no kid': await sign(good, { alg: 'HS256' }),
      'alg none': `${b64({ alg: 'none', kid: 'k1' })}.${p}.`,
      'alg HS512 header': `${b64({ alg: 'HS512', kid: 'k1' })}.${p}.${valid.split('.')[2]}`,
      'unknown crit': signRaw({ alg: 'HS256', kid: 'k1', crit: ['exp-ext'], 'exp-ext': 1 }, good),
      'tampered payload': `${h}.${b64({ ...good, sub: 'anon_someone_else' })}.${valid.split('.')[2]}`,
      'signature cut': valid.slice(0, -2),
      'payload not an object': signRaw({ alg: 'HS256', kid: 'k1' }, [good]),
      'header not an object': signRaw(['HS256'], good),
      'two parts': `${h}.${p}`,
    };
    for (const [name, token] of Object.entries(cases)) {
      const ours = (await tokens.verify(token)) !== null;
      expect({ name, accepted: ours }).toEqual({ name, accepted: await joseAccepts(token) });
    }
    // Stricter than jose on what we never issue: any `crit`, even the one jose understands.
    const b64Crit = signRaw({ alg: 'HS256', kid: 'k1', crit: ['b64'], b64: true }, good);
    expect([await joseAccepts(b64Crit), await tokens.verify(b64Crit)]).toEqual([true, null]);
    expect(await tokens.verify(valid)).toEqual({ user: good.sub, locale: 'en', pageUrl: null, expiresAt: good.exp });
  });

  it('when a token is issued, then it verifies with its claims until it expires', async () => {
    let clock = new Date();
    const tokens = new JwtVisitorTokens(
      async () => parseVisitorTokenKeys(TEST_KEYS),
      { tokenTtlSeconds: 60, proofTtlSeconds: 86_400 },
      () => clock,
    );
    const { token, expiresAt } = await tokens.issue({ user: 'anon_visitor_0002', locale: 'es', pageUrl: 'https://shop.example/es/' });
    expect(await tokens.verify(token)).toEqual({ user: 'anon_visitor_0002', locale: 'es', pageUrl: 'https://shop.example/es/', expiresAt });
    clock = new Date(expiresAt * 1000);
    expect(await tokens.verify(token)).toBeNull();
  });
});
