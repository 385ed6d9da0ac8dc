/**
 * `npm run dev` (tools/dev/src/dev.ts) as a child process for tests: started with the given
 * environment, its output collected, ready once it prints its table.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../src/net/free-port.js';

const devTools = fileURLToPath(new URL('../..', import.meta.url));

const DEV_PORT_NAMES = [
  'DEV_SITE_PORT',
  'DEV_EMBED_PORT',
  'DEV_SESSION_PORT',
  'DEV_LEAD_PORT',
  'DEV_FIRESTORE_PORT',
  'DEV_SES_PORT',
  'DEV_OPENAI_PORT',
  'DEV_CLOUD_GRPC_PORT',
  'DEV_CLOUD_HTTP_PORT',
] as const;
export type DevPorts = Record<(typeof DEV_PORT_NAMES)[number], string>;

/** A free port for every DEV_*_PORT variable. */
export async function freeDevPorts(): Promise<DevPorts> {
  const ports: Partial<DevPorts> = {};
  for (const name of DEV_PORT_NAMES) ports[name] = String(await freePort());
  return ports as DevPorts;
}

const LOCK = join(tmpdir(), 'chatkit-lead-intake-dev-stack.lock');

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * One `npm run dev` at a time per checkout: each builds the site into web/dist (where
 * firebase.json points the gateway), so two test files starting it at once would clash. Resolves
 * with the release once this process holds the lock (a lock whose holder died is taken over).
 */
export async function lockDevStack(timeoutMs = 300_000): Promise<() => Promise<void>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(join(LOCK, 'pid'), String(process.pid));
      return () => rm(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => ''));
      if (holder > 0 && !isAlive(holder)) await rm(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`another npm run dev test held ${LOCK} for ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export interface DevProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once the table is printed; rejects with the output when the process exits first or the time runs out. */
  ready(timeoutMs?: number): Promise<void>;
  /** Ctrl-C, then waits for it to exit. */
  stop(): Promise<void>;
}

export function startDev(env: NodeJS.ProcessEnv): DevProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=lead-intake-source', 'src/dev.ts'], {
    cwd: devTools,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    ready: async (timeoutMs = 120_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes('Ctrl-C stops everything')) {
        if (child.exitCode !== null) throw new Error(`npm run dev exited (${child.exitCode}) before it was ready:\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm run dev was not ready within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    stop: async () => {
      child.kill('SIGINT');
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}
