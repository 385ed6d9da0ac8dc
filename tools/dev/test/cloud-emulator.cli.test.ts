import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, parseCliArgs } from '../src/cloud-emulator/cli-args.js';

const workspace = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('emulator CLI arguments', () => {
  it('when no flags are given, then the default ports are used', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { grpcPort: DEFAULT_GRPC_PORT, httpPort: DEFAULT_HTTP_PORT } });
  });

  it('when all flags are given, then they map to emulator options', () => {
    const parsed = parseCliArgs([
      '--port',
      '0',
      '--http-port',
      '9001',
      '--host',
      '0.0.0.0',
      '--project',
      'p',
      '--location',
      'europe-west1',
      '--secrets-file',
      's.json',
      '--queue',
      'a',
      '--queue',
      'b',
      '--oidc-issuer',
      'http://iss',
      '--time-scale',
      '10',
    ]);
    expect(parsed).toEqual({
      help: false,
      options: {
        grpcPort: 0,
        httpPort: 9001,
        host: '0.0.0.0',
        projectId: 'p',
        location: 'europe-west1',
        secretsFile: 's.json',
        queues: ['a', 'b'],
        oidcIssuer: 'http://iss',
        timeScale: 10,
      },
    });
  });

  it.each([[['--port', 'abc']], [['--port', '70000']], [['--time-scale', '0']], [['--unknown']]])(
    'when the arguments are %j, then parsing fails',
    (argv) => {
      expect(() => parseCliArgs(argv)).toThrow();
    },
  );

  it('when --help is given, then help is requested', () => {
    expect(parseCliArgs(['-h'])).toEqual({ help: true });
  });
});

describe('emulator CLI process', () => {
  it('when started with a secrets file and env secrets, then it prints endpoints, serves them, and exits 0 on SIGTERM', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cloud-emulator-cli-')), 'secrets.json');
    writeFileSync(file, JSON.stringify({ 'from-file': 'file-value' }));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=lead-intake-source',
        'src/cloud-emulator/main.ts',
        '--port',
        '0',
        '--http-port',
        '0',
        '--project',
        'cli-project',
        '--secrets-file',
        file,
      ],
      { cwd: workspace, env: { ...process.env, CLOUD_EMULATOR_SECRET_FROM_ENV: 'env-value' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      let output = '';
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no endpoint printed: ${output}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /gRPC\s+127\.0\.0\.1:(\d+)/.exec(output);
          if (match && output.includes('Clients:')) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      expect(output).toContain('SECRET_MANAGER_EMULATOR_HOST=127.0.0.1:');
      expect(output).toContain('/oauth2/v1/certs');

      const client = new SecretManagerServiceClient({
        apiEndpoint: '127.0.0.1',
        port,
        sslCreds: grpc.credentials.createInsecure(),
        projectId: 'cli-project',
        universeDomain: 'googleapis.com',
      });
      try {
        const [fromFile] = await client.accessSecretVersion({ name: 'projects/cli-project/secrets/from-file/versions/latest' });
        const [fromEnv] = await client.accessSecretVersion({ name: 'projects/cli-project/secrets/FROM_ENV/versions/1' });
        expect([fromFile.payload?.data?.toString(), fromEnv.payload?.data?.toString()]).toEqual(['file-value', 'env-value']);
      } finally {
        await client.close();
      }
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
