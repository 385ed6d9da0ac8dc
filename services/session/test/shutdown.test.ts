import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@lead-intake/dev-tools/net/free-port';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));

let stub: OpenAIStub;
beforeAll(async () => {
  stub = await startOpenAIStub({ port: 0 });
});
afterAll(async () => {
  await stub.close();
});

/** Starts the real entry point (src/server.ts) as Cloud Run would, with env config only. */
async function startServiceProcess(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=lead-intake-source', 'src/server.ts'], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, port, exited, output: () => output };
}

async function waitForHealth(port: number): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('service did not become healthy');
}

describe('process lifecycle', () => {
  it('when SIGTERM arrives during a request, then the request completes, new connections are refused and the process exits 0 within 10 s', async () => {
    const service = await startServiceProcess({
      OPENAI_API_KEY: 'sk-test-shutdown',
      CHATKIT_WORKFLOW_ID: 'wf_shutdown',
      OPENAI_BASE_URL: stub.baseURL,
      OPENAI_MAX_RETRIES: '0',
    });
    await waitForHealth(service.port);
    stub.injectFault({ route: 'POST /v1/chatkit/sessions', kind: 'delay', ms: 1500 });

    const inFlight = fetch(`http://127.0.0.1:${service.port}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const signalledAt = Date.now();
    service.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));

    await expect(fetch(`http://127.0.0.1:${service.port}/health`)).rejects.toThrow();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { client_secret: string }).client_secret).toMatch(/^ek_/);
    const [code] = await service.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(service.output()).toContain('draining in-flight requests');
  });

  it('when the configuration is invalid, then the process exits 1 with a message naming the variable', async () => {
    const service = await startServiceProcess({ ALLOWED_ORIGINS: 'not-an-origin', RATE_LIMIT_PER_MINUTE: 'ten' });
    const [code] = await service.exited;
    expect(code).toBe(1);
    expect(service.output()).toContain('ALLOWED_ORIGINS');
    expect(service.output()).toContain('RATE_LIMIT_PER_MINUTE');
    expect(service.output()).toContain('GOOGLE_CLOUD_PROJECT');
    expect(service.output()).not.toMatch(/\n\s+at /);
  });
});
