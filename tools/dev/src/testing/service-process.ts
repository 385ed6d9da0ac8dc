import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import type { Readable } from 'node:stream';
import { freePort } from '../net/free-port.js';

export interface ServiceProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  port: number;
  url: string;
  /** Resolves with the exit code and signal. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** stdout and stderr so far. */
  output(): string;
}

/**
 * Starts a service's real entry point (`src/server.ts` in `serviceDir`) as Cloud Run would:
 * configured by environment variables only (PATH, PORT and `env`; nothing of the caller's).
 * `env` may be a function of the port, for variables that name the service's own URL.
 */
export async function startServiceProcess(
  serviceDir: string,
  env: Record<string, string> | ((port: number) => Record<string, string>),
): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=lead-intake-source', 'src/server.ts'], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...(typeof env === 'function' ? env(port) : env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, port, url: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** Resolves once GET /health answers 2xx; fails after `timeoutMs` or when the process exits first. */
export async function waitForHealth(service: Pick<ServiceProcess, 'url' | 'child' | 'output'>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (service.child.exitCode !== null)
      throw new Error(`the service exited (${service.child.exitCode}) before it was healthy:\n${service.output()}`);
    try {
      if ((await fetch(`${service.url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the service did not become healthy:\n${service.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** GET `path` on a fresh connection (no keep-alive pool): rejects when the connection is refused. */
export function getOnFreshConnection(port: number, path = '/health'): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode);
    }).on('error', reject);
  });
}
