/**
 * The test-env globalSetup: in-process (with a stand-in `provide`) and end to end (a child Vitest
 * run using global-setup-all.ts, whose test injects the addresses and reaches every stand-in).
 */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createGlobalSetup, TEST_ENV_VARIABLES } from '../src/test-env/global-setup.js';
import type { TestEnvProvided } from '../src/test-env/provided.js';

const devRoot = fileURLToPath(new URL('..', import.meta.url));

describe('createGlobalSetup', () => {
  const saved = Object.fromEntries(TEST_ENV_VARIABLES.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    vi.restoreAllMocks();
  });

  it('when Firestore and SES are selected, then it provides their addresses, exports env variables, and teardown restores them', async () => {
    process.env.SES_ENDPOINT = 'http://previous.invalid';
    delete process.env.FIRESTORE_EMULATOR_HOST;
    const provided: TestEnvProvided = {};
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const teardown = await createGlobalSetup({ firestore: true, ses: true })({
      provide: (key, value) => {
        (provided as Record<string, unknown>)[key] = value;
      },
    });
    try {
      expect(Object.keys(provided).sort()).toEqual(['firestore', 'ses']);
      const { firestore, ses } = provided;
      expect(process.env.FIRESTORE_EMULATOR_HOST).toBe(firestore?.hostPort);
      expect(process.env.SES_ENDPOINT).toBe(ses?.endpoint);
      expect(process.env.CLOUD_TASKS_EMULATOR_HOST).toBe(saved.CLOUD_TASKS_EMULATOR_HOST);
      expect(firestore?.port).toBeGreaterThan(0);
      expect((await fetch(`${ses?.endpoint}/store`)).status).toBe(200);
      expect((await fetch(`${firestore?.adminUrl}/`)).status).toBe(200);

      const printed = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
      if (firestore?.kind === 'firestore-emulator-server') {
        expect(firestore.reason).toBeTruthy();
        expect(printed).toContain('@firestore-emulator/server');
        expect(printed).toContain(firestore.reason ?? '');
      } else {
        expect(printed).toContain('Firebase emulator');
      }
    } finally {
      await teardown();
    }

    expect(process.env.SES_ENDPOINT).toBe('http://previous.invalid');
    expect(process.env.FIRESTORE_EMULATOR_HOST).toBeUndefined();
    await expect(fetch(`${provided.ses?.endpoint}/store`)).rejects.toThrow();
  });

  it('when a stand-in fails to start, then the ones already started are stopped and the error surfaces', async () => {
    const provided: TestEnvProvided = {};
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // SES cannot bind a TEST-NET-3 address (no traffic is sent), after Firestore has started.
    const setup = createGlobalSetup({ firestore: { preferReal: false }, ses: { host: '203.0.113.1' } });
    await expect(
      setup({
        provide: (key, value) => {
          (provided as Record<string, unknown>)[key] = value;
        },
      }),
    ).rejects.toThrow(/could not listen/);
    expect(provided.firestore).toBeDefined();
    expect(process.env.FIRESTORE_EMULATOR_HOST).toBe(saved.FIRESTORE_EMULATOR_HOST);
    await expect(fetch(`${provided.firestore?.adminUrl}/`)).rejects.toThrow();
  });
});

describe('global-setup-all in a real Vitest run', () => {
  it('when a test run uses global-setup-all, then its tests inject every address and the env variables reach the workers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'test-env-selftest-'));
    const config = join(dir, 'vitest.config.mjs');
    // No imports: a plain config object, so it loads from a directory without node_modules.
    writeFileSync(
      config,
      `export default ${JSON.stringify({
        root: devRoot,
        resolve: { conditions: ['lead-intake-source', 'node'] },
        ssr: { resolve: { conditions: ['lead-intake-source', 'node'] } },
        test: {
          include: ['test/test-env.fixture.test.ts'],
          globalSetup: [join(devRoot, 'src/test-env/global-setup-all.ts')],
          testTimeout: 20_000,
        },
      })};\n`,
    );
    const vitestBin = join(dirname(dirname(createRequire(import.meta.url).resolve('vitest/node'))), 'vitest.mjs');
    try {
      const result = await run(process.execPath, [vitestBin, 'run', '--config', config], {
        ...process.env,
        TEST_ENV_SELFTEST: '1',
        // The child's own setup must set these; make sure nothing leaks in from this run.
        FIRESTORE_EMULATOR_HOST: '',
        SES_ENDPOINT: '',
        CLOUD_TASKS_EMULATOR_HOST: '',
        SECRET_MANAGER_EMULATOR_HOST: '',
        OPENAI_BASE_URL: '',
      });
      expect(result.output).toMatch(/\[test-env\] Firestore: /);
      expect(result.output).toMatch(/Tests\s+\d+ passed/);
      expect(result.output).not.toMatch(/skipped/);
      expect(result.code, result.output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: devRoot, env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}
