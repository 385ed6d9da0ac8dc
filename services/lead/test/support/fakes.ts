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
