import { createSign, generateKeyPairSync } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** An RS256 token with the right claims for `email`, signed by a key Google (or the emulator) never issued. */
export function forgedToken(audience: string, email: string): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'forged' }));
  const claims = base64url(
    JSON.stringify({ iss: 'https://accounts.google.com', aud: audience, email, email_verified: true, sub: '1', iat: now, exp: now + 3600 }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(privateKey);
  return `${header}.${claims}.${base64url(signature)}`;
}

/** A Firestore whose document reads, updates and transactions all fail with the given gRPC status code. */
export function failingFirestore(code: number, message = `grpc ${code}`): Firestore {
  const fail = async () => {
    throw Object.assign(new Error(message), { code });
  };
  return {
    collection: () => ({ doc: () => ({ get: fail, update: fail }) }),
    runTransaction: fail,
  } as unknown as Firestore;
}

/**
 * The real Firestore client, except that the next `failNext(n)` transactions fail with gRPC
 * UNAVAILABLE (as when Firestore is unreachable); `Infinity` keeps it failing until `failNext(0)`.
 * Document reads still work: the lead record store writes only in transactions.
 */
export function flakyFirestore(real: Firestore): {
  db: Firestore;
  failNext(count: number): void;
  /**
   * After `after` more transactions, the next `count` commit, then their caller hears
   * DEADLINE_EXCEEDED (a write that gave up but landed).
   */
  landThenFailNext(count: number, after?: number): void;
  failures(): number;
} {
  let left = 0;
  let landing = 0;
  let landingAfter = 0;
  let failures = 0;
  const db = new Proxy(real, {
    get(target, property) {
      if (property === 'runTransaction') {
        return async (...args: Parameters<Firestore['runTransaction']>) => {
          if (landing > 0 && landingAfter > 0) {
            landingAfter -= 1;
            return target.runTransaction(...args);
          }
          if (landing > 0) {
            landing -= 1;
            failures += 1;
            await target.runTransaction(...args);
            throw Object.assign(new Error('4 DEADLINE_EXCEEDED: injected by flakyFirestore after the commit'), { code: 4 });
          }
          if (left <= 0) return target.runTransaction(...args);
          left -= 1;
          failures += 1;
          return Promise.reject(Object.assign(new Error('14 UNAVAILABLE: injected by flakyFirestore'), { code: 14 }));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    db,
    failNext: (count) => {
      left = count;
    },
    landThenFailNext: (count, after = 0) => {
      landing = count;
      landingAfter = after;
    },
    failures: () => failures,
  };
}
