import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { CloudTasksClient } from '@google-cloud/tasks';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientOptions, startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator } from '../src/cloud-emulator/index.js';
import { startRecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';
import type { RecordingTarget } from '../src/cloud-emulator/testing/recording-target.js';

const SERVICE_ACCOUNT = 'tasks-invoker@lead-intake.iam.gserviceaccount.com';
const AUDIENCE = 'https://lead-service-abc123-ew.a.run.app';
const CUSTOM_ISSUER = 'http://cloud-emulator.local';

let emulator: CloudEmulator;
let customIssuerEmulator: CloudEmulator;
let client: CloudTasksClient;
let customClient: CloudTasksClient;
let target: RecordingTarget;

beforeAll(async () => {
  [emulator, customIssuerEmulator, target] = await Promise.all([
    startCloudEmulator({ queues: ['oidc'] }),
    startCloudEmulator({ queues: ['oidc'], oidcIssuer: CUSTOM_ISSUER }),
    startRecordingTarget(),
  ]);
  client = new CloudTasksClient(emulatorClientOptions(emulator));
  customClient = new CloudTasksClient(emulatorClientOptions(customIssuerEmulator));
});
afterAll(async () => {
  await Promise.all([client?.close(), customClient?.close()]);
  await Promise.all([emulator?.close(), customIssuerEmulator?.close(), target?.close()]);
});

/** Creates an OIDC task on `on` and returns the bearer token the handler received. */
async function tokenFromTask(on: CloudEmulator, tasksClient: CloudTasksClient, path: string, audience?: string): Promise<string> {
  const queue = on.tasks.ensureQueue('oidc');
  const [task] = await tasksClient.createTask({
    parent: queue,
    task: { httpRequest: { url: `${target.url}${path}`, oidcToken: { serviceAccountEmail: SERVICE_ACCOUNT, audience } } },
  });
  await on.tasks.waitForTask(task.name ?? '');
  const [request] = await target.waitForRequests(1, (r) => r.path === path);
  const header = String(request?.headers.authorization ?? '');
  expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  return header.slice('Bearer '.length);
}

/** The production verifier, with only the certificate URLs (and issuers) pointed at the emulator. */
function verifierFor(on: CloudEmulator, issuers?: string[]): OAuth2Client {
  return new OAuth2Client({
    endpoints: {
      oauth2FederatedSignonPemCertsUrl: on.oidc.pemCertsUrl,
      oauth2FederatedSignonJwkCertsUrl: on.oidc.jwksUrl,
    },
    ...(issuers ? { issuers } : {}),
  });
}

const decode = (segment: string | undefined): Record<string, unknown> =>
  JSON.parse(Buffer.from(segment ?? '', 'base64url').toString()) as Record<string, unknown>;

describe('OIDC tokens on HTTP tasks', () => {
  it('when a task has oidcToken, then the handler verifies the bearer token with OAuth2Client.verifyIdToken', async () => {
    const idToken = await tokenFromTask(emulator, client, '/oidc/verified', AUDIENCE);
    const ticket = await verifierFor(emulator).verifyIdToken({ idToken, audience: AUDIENCE });
    const payload = ticket.getPayload();
    expect(payload).toMatchObject({
      iss: 'https://accounts.google.com',
      aud: AUDIENCE,
      email: SERVICE_ACCOUNT,
      email_verified: true,
    });
    expect(payload?.sub).toMatch(/^\d{21}$/);
    expect((payload?.exp ?? 0) - (payload?.iat ?? 0)).toBe(3600);
    expect(Math.abs((payload?.iat ?? 0) - Date.now() / 1000)).toBeLessThan(60);
    const header = decode(idToken.split('.')[0]);
    expect(header).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
  });

  it('when oidcToken has no audience, then the audience is the task URL', async () => {
    const idToken = await tokenFromTask(emulator, client, '/oidc/default-audience');
    const ticket = await verifierFor(emulator).verifyIdToken({ idToken, audience: `${target.url}/oidc/default-audience` });
    expect(ticket.getPayload()?.aud).toBe(`${target.url}/oidc/default-audience`);
  });

  it('when the token is tampered with or meant for another audience, then verification fails', async () => {
    const idToken = await tokenFromTask(emulator, client, '/oidc/tampered', AUDIENCE);
    const [header, payload, signature] = idToken.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...decode(payload), email: 'attacker@example.com' })).toString('base64url');
    const verifier = verifierFor(emulator);
    await expect(verifier.verifyIdToken({ idToken: `${header}.${forgedPayload}.${signature}`, audience: AUDIENCE })).rejects.toThrow(
      /Invalid token signature/,
    );
    const flipped = `${signature?.startsWith('A') ? 'B' : 'A'}${signature?.slice(1) ?? ''}`;
    await expect(verifier.verifyIdToken({ idToken: `${header}.${payload}.${flipped}`, audience: AUDIENCE })).rejects.toThrow();
    await expect(verifier.verifyIdToken({ idToken, audience: 'https://someone-else.example' })).rejects.toThrow(/Wrong recipient/);
  });

  it('when the token comes from another emulator instance, then its key is unknown and verification fails', async () => {
    const idToken = await tokenFromTask(customIssuerEmulator, customClient, '/oidc/other-key', AUDIENCE);
    await expect(verifierFor(emulator, [CUSTOM_ISSUER]).verifyIdToken({ idToken, audience: AUDIENCE })).rejects.toThrow(/No pem found/);
  });

  it('when the emulator uses a custom issuer, then verifiers must list it in issuers', async () => {
    const idToken = await tokenFromTask(customIssuerEmulator, customClient, '/oidc/custom-issuer', AUDIENCE);
    await expect(verifierFor(customIssuerEmulator).verifyIdToken({ idToken, audience: AUDIENCE })).rejects.toThrow(/Invalid issuer/);
    const ticket = await verifierFor(customIssuerEmulator, [CUSTOM_ISSUER]).verifyIdToken({ idToken, audience: AUDIENCE });
    expect(ticket.getPayload()?.iss).toBe(CUSTOM_ISSUER);
  });

  it('when the certs are fetched, then the PEM endpoint serves a valid X.509 certificate and JWKS the same key', async () => {
    const pem = (await (await fetch(emulator.oidc.pemCertsUrl)).json()) as Record<string, string>;
    const jwks = (await (await fetch(emulator.oidc.jwksUrl)).json()) as { keys: Array<Record<string, string>> };
    const [kid, certificatePem] = Object.entries(pem)[0] ?? [];
    const jwk = jwks.keys[0];
    expect(jwk).toMatchObject({ kid, kty: 'RSA', alg: 'RS256', use: 'sig' });

    const certificate = new X509Certificate(certificatePem ?? '');
    expect(certificate.verify(certificate.publicKey)).toBe(true); // self-signed
    const fromJwk = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(fromJwk.equals(certificate.publicKey)).toBe(true);

    const idToken = await tokenFromTask(emulator, client, '/oidc/jwks', AUDIENCE);
    const [header, payload, signature] = idToken.split('.');
    expect(decode(header).kid).toBe(kid);
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), fromJwk, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
  });
});
