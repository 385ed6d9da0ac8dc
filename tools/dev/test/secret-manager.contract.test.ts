import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32c } from '../src/cloud-emulator/crc32c.js';
import { emulatorClientOptions, startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator } from '../src/cloud-emulator/index.js';

// Contract tests: the official client against the emulator, asserting the real API's behaviour.

const PROJECT = 'contract-project';
let emulator: CloudEmulator;
let client: SecretManagerServiceClient;
const parent = `projects/${PROJECT}`;

async function grpcCodeOf(promise: Promise<unknown>): Promise<number | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: number }).code;
  }
  throw new Error('expected the call to fail');
}

async function createSecret(secretId: string): Promise<string> {
  const [secret] = await client.createSecret({ parent, secretId, secret: { replication: { automatic: {} } } });
  return secret.name ?? '';
}

beforeAll(async () => {
  emulator = await startCloudEmulator({
    projectId: PROJECT,
    seedSecrets: { 'openai-api-key': 'sk-seeded', 'projects/other-project/secrets/multi': ['one', 'two'] },
  });
  client = new SecretManagerServiceClient(emulatorClientOptions(emulator));
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe('Secret Manager emulator with the official client', () => {
  it('when a client is built with apiEndpoint, port, insecure sslCreds and no credentials, then it can access a seeded secret', async () => {
    const plain = new SecretManagerServiceClient({
      apiEndpoint: '127.0.0.1',
      port: emulator.grpcEndpoint.port,
      sslCreds: grpc.credentials.createInsecure(),
      projectId: PROJECT,
      // Without it google-auth-library probes the GCE metadata server and warns on stderr.
      universeDomain: 'googleapis.com',
    });
    try {
      const [version] = await plain.accessSecretVersion({ name: `${parent}/secrets/openai-api-key/versions/latest` });
      expect(version.payload?.data?.toString()).toBe('sk-seeded');
    } finally {
      await plain.close();
    }
  });

  it('when accessing latest, then the newest version is returned with its resolved name and crc32c', async () => {
    const [version] = await client.accessSecretVersion({ name: 'projects/other-project/secrets/multi/versions/latest' });
    expect(version.name).toBe('projects/other-project/secrets/multi/versions/2');
    expect(version.payload?.data?.toString()).toBe('two');
    expect(Number(version.payload?.dataCrc32c)).toBe(crc32c(Buffer.from('two')));
  });

  it('when accessing a version by number, then that version is returned', async () => {
    const [version] = await client.accessSecretVersion({ name: 'projects/other-project/secrets/multi/versions/1' });
    expect(version.payload?.data?.toString()).toBe('one');
  });

  it('when a secret is created and versions added, then get, list and access reflect them', async () => {
    const name = await createSecret('created-secret');
    expect(name).toBe(`${parent}/secrets/created-secret`);
    const [v1] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('first') } });
    const [v2] = await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('second') } });
    expect([v1.name, v2.name]).toEqual([`${name}/versions/1`, `${name}/versions/2`]);
    expect(v2.state).toBe('ENABLED');
    expect(v2.clientSpecifiedPayloadChecksum).toBe(false);

    const [secret] = await client.getSecret({ name });
    expect(secret.replication?.automatic).toBeDefined();
    expect(Number(secret.createTime?.seconds)).toBeGreaterThan(0);

    const [versions] = await client.listSecretVersions({ parent: name });
    expect(versions.map((v) => v.name)).toEqual([`${name}/versions/2`, `${name}/versions/1`]);

    const [access] = await client.accessSecretVersion({ name: `${name}/versions/latest` });
    expect(access.payload?.data?.toString()).toBe('second');
  });

  it('when listing secrets, then they come newest first and page with pageSize', async () => {
    await createSecret('list-a');
    await createSecret('list-b');
    const [all] = await client.listSecrets({ parent });
    const names = all.map((s) => s.name);
    expect(names.indexOf(`${parent}/secrets/list-b`)).toBeLessThan(names.indexOf(`${parent}/secrets/list-a`));
    expect(names).not.toContain('projects/other-project/secrets/multi');

    const [page, nextRequest] = await client.listSecrets({ parent, pageSize: 1 }, { autoPaginate: false });
    expect(page).toHaveLength(1);
    expect(nextRequest?.pageToken).toBeTruthy();
  });

  it('when the secret id is taken, then CreateSecret fails with ALREADY_EXISTS', async () => {
    await createSecret('dup');
    expect(await grpcCodeOf(createSecret('dup'))).toBe(grpc.status.ALREADY_EXISTS);
  });

  it('when the secret or version does not exist, then calls fail with NOT_FOUND', async () => {
    expect(await grpcCodeOf(client.getSecret({ name: `${parent}/secrets/missing` }))).toBe(grpc.status.NOT_FOUND);
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${parent}/secrets/missing/versions/latest` }))).toBe(grpc.status.NOT_FOUND);
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${parent}/secrets/openai-api-key/versions/9` }))).toBe(
      grpc.status.NOT_FOUND,
    );
    expect(await grpcCodeOf(client.addSecretVersion({ parent: `${parent}/secrets/missing`, payload: { data: Buffer.from('x') } }))).toBe(
      grpc.status.NOT_FOUND,
    );
  });

  it('when the secret has no versions, then accessing latest fails with NOT_FOUND', async () => {
    const name = await createSecret('empty');
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${name}/versions/latest` }))).toBe(grpc.status.NOT_FOUND);
  });

  it('when names or ids are malformed, then calls fail with INVALID_ARGUMENT', async () => {
    expect(await grpcCodeOf(createSecret('bad id!'))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await grpcCodeOf(createSecret('x'.repeat(256)))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${parent}/secrets/openai-api-key/versions/abc` }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
    expect(await grpcCodeOf(client.getSecret({ name: 'openai-api-key' }))).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('when a global secret is created without replication, then CreateSecret fails with INVALID_ARGUMENT', async () => {
    expect(await grpcCodeOf(client.createSecret({ parent, secretId: 'no-replication', secret: {} }))).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('when a version is disabled, then access fails with FAILED_PRECONDITION until it is enabled again', async () => {
    const name = await createSecret('toggle');
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('v1') } });
    const [disabled] = await client.disableSecretVersion({ name: `${name}/versions/1` });
    expect(disabled.state).toBe('DISABLED');
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${name}/versions/1` }))).toBe(grpc.status.FAILED_PRECONDITION);
    // `latest` points at the newest version even when that one is disabled.
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${name}/versions/latest` }))).toBe(grpc.status.FAILED_PRECONDITION);
    await client.enableSecretVersion({ name: `${name}/versions/1` });
    const [access] = await client.accessSecretVersion({ name: `${name}/versions/latest` });
    expect(access.payload?.data?.toString()).toBe('v1');
  });

  it('when a version is destroyed, then it reports DESTROYED and can neither be accessed nor enabled', async () => {
    const name = await createSecret('doomed');
    await client.addSecretVersion({ parent: name, payload: { data: Buffer.from('bye') } });
    const [destroyed] = await client.destroySecretVersion({ name: `${name}/versions/1` });
    expect(destroyed.state).toBe('DESTROYED');
    expect(destroyed.destroyTime).toBeTruthy();
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${name}/versions/1` }))).toBe(grpc.status.FAILED_PRECONDITION);
    expect(await grpcCodeOf(client.enableSecretVersion({ name: `${name}/versions/1` }))).toBe(grpc.status.FAILED_PRECONDITION);
  });

  it('when the client sends data_crc32c, then a matching checksum is accepted and a wrong one rejected', async () => {
    const name = await createSecret('checksummed');
    const data = Buffer.from('payload');
    const [ok] = await client.addSecretVersion({ parent: name, payload: { data, dataCrc32c: crc32c(data) } });
    expect(ok.clientSpecifiedPayloadChecksum).toBe(true);
    expect(await grpcCodeOf(client.addSecretVersion({ parent: name, payload: { data, dataCrc32c: crc32c(data) + 1 } }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('when the payload exceeds 64 KiB, then AddSecretVersion fails with INVALID_ARGUMENT', async () => {
    const name = await createSecret('too-big');
    expect(await grpcCodeOf(client.addSecretVersion({ parent: name, payload: { data: Buffer.alloc(64 * 1024 + 1) } }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('when code disables a secret through the helpers, then the client sees FAILED_PRECONDITION', async () => {
    emulator.secrets.set('helper-secret', 'from-code');
    emulator.secrets.disable('helper-secret');
    expect(await grpcCodeOf(client.accessSecretVersion({ name: `${parent}/secrets/helper-secret/versions/latest` }))).toBe(
      grpc.status.FAILED_PRECONDITION,
    );
    emulator.secrets.enable('helper-secret');
    expect(emulator.secrets.access('helper-secret')).toBe('from-code');
  });

  it('when a secret is deleted, then it is gone', async () => {
    const name = await createSecret('deleted');
    await client.deleteSecret({ name });
    expect(await grpcCodeOf(client.getSecret({ name }))).toBe(grpc.status.NOT_FOUND);
  });

  it('when labels are updated with a mask, then GetSecret returns them and list filters by them', async () => {
    const name = await createSecret('labelled');
    await client.updateSecret({ secret: { name, labels: { team: 'leads' } }, updateMask: { paths: ['labels'] } });
    const [secret] = await client.getSecret({ name });
    expect(secret.labels).toEqual({ team: 'leads' });
    const [filtered] = await client.listSecrets({ parent, filter: 'labels.team=leads' });
    expect(filtered.map((s) => s.name)).toEqual([name]);
  });
});
