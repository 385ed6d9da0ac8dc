import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32c } from '../src/cloud-emulator/crc32c.js';
import { loadSecretsFile, secretsFromEnv, startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator } from '../src/cloud-emulator/index.js';

const started: CloudEmulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((emulator) => emulator.close()));
});

function writeTemp(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cloud-emulator-')), 'secrets.json');
  writeFileSync(path, content);
  return path;
}

describe('crc32c', () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xc1d04330],
    ['123456789', 0xe3069283],
    ['The quick brown fox jumps over the lazy dog', 0x22620404],
  ])('when the input is %j, then the Castagnoli checksum is %i', (input, expected) => {
    expect(crc32c(Buffer.from(input))).toBe(expected);
  });
});

describe('secret seeds', () => {
  it('when a secrets file maps ids and full names to values, then the emulator starts with those versions', async () => {
    const file = writeTemp(JSON.stringify({ 'db-password': 'hunter2', 'projects/p2/secrets/api': ['old', 'new'] }));
    const emulator = await startCloudEmulator({ projectId: 'p1', secretsFile: file });
    started.push(emulator);
    expect(emulator.secrets.access('db-password')).toBe('hunter2');
    expect(emulator.secrets.access('projects/p2/secrets/api')).toBe('new');
    expect(emulator.secrets.access('projects/p2/secrets/api', 1)).toBe('old');
    expect(emulator.secrets.list().map((s) => s.name)).toEqual(['projects/p1/secrets/db-password', 'projects/p2/secrets/api']);
  });

  it('when the secrets file is not an object of strings, then loading fails with a message naming the file', () => {
    const file = writeTemp(JSON.stringify({ ok: 'x', bad: 42 }));
    expect(() => loadSecretsFile(file)).toThrow(file);
  });

  it('when the secrets file is not JSON, then loading fails', () => {
    expect(() => loadSecretsFile(writeTemp('{nope'))).toThrow(/cannot read secrets file/);
  });

  it('when env has CLOUD_EMULATOR_SECRET_* and CLOUD_EMULATOR_SECRETS_JSON, then both become seeds', () => {
    const seeds = secretsFromEnv({
      CLOUD_EMULATOR_SECRET_OPENAI_API_KEY: 'sk-env',
      CLOUD_EMULATOR_SECRETS_JSON: JSON.stringify({ 'ses-smtp-password': 'pw' }),
      SECRET_UNRELATED: 'ignored',
      CLOUD_EMULATOR_SECRET_: 'ignored',
    });
    expect(seeds).toEqual({ OPENAI_API_KEY: 'sk-env', 'ses-smtp-password': 'pw' });
  });

  it('when a seed key is neither a resource name nor a valid id, then start fails naming the key', async () => {
    await expect(startCloudEmulator({ seedSecrets: { 'not valid!': 'x' } })).rejects.toThrow(/not valid!/);
  });

  it('when secrets are listed over HTTP, then names and version states are shown but never values', async () => {
    const emulator = await startCloudEmulator({ seedSecrets: { token: 'super-secret-value' } });
    started.push(emulator);
    emulator.secrets.disable('token');
    const response = await fetch(`${emulator.httpUrl}/secrets.json`);
    const body = await response.text();
    expect(body).not.toContain('super-secret-value');
    expect(JSON.parse(body)).toMatchObject({
      secrets: [{ name: 'projects/local-project/secrets/token', versions: [{ version: 1, state: 'DISABLED' }] }],
    });
  });
});
