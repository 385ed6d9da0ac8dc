/**
 * `npm run dev` as a developer runs it: start, load the site through the gateway, one chat turn
 * through the site's own /api rewrites, Ctrl-C, and nothing left running.
 */
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freeDevPorts, lockDevStack, startDev } from './support/dev-process.js';

/** Every live descendant of `pid` (from /proc's children lists). */
async function descendants(pid: number): Promise<number[]> {
  const found: number[] = [];
  const walk = async (parent: number) => {
    for (const task of await readdir(`/proc/${parent}/task`).catch(() => [])) {
      const children = (await readFile(`/proc/${parent}/task/${task}/children`, 'utf8').catch(() => ''))
        .split(' ')
        .filter(Boolean)
        .map(Number);
      for (const child of children) {
        found.push(child);
        await walk(child);
      }
    }
  };
  await walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm run dev', () => {
  it('when started, then the site answers through the gateway, a chat turn streams, and Ctrl-C leaves no process behind', async () => {
    const release = await lockDevStack();
    const ports = await freeDevPorts();
    const site = `http://localhost:${ports.DEV_SITE_PORT}`;
    const dev = startDev({ ...process.env, ...ports, LOG_LEVEL: 'warn' });
    const { child } = dev;
    try {
      await dev.ready();
      const output = dev.output();
      expect(output).toContain('Ctrl-C stops everything');
      // The site comes first in the status table.
      const table = output.slice(output.indexOf('local dev'));
      expect(table.split('\n').find((line) => line.trim().length > 0 && !line.includes('local dev'))).toContain(`${site}/`);
      expect(output).toMatch(/ChatKit runtime\s+development element/);

      const page = await fetch(`${site}/en/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html lang="en" dir="ltr">');

      const origin = site;
      const minted = (await (
        await fetch(`${site}/api/chatkit/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: '{"locale":"en"}',
        })
      ).json()) as { token: string };
      const turn = await fetch(`${site}/api/chatkit`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${minted.token}` },
        body: JSON.stringify({
          type: 'threads.create',
          params: { input: { content: [{ type: 'input_text', text: 'My seat is torn' }], attachments: [], inference_options: {} } },
          metadata: {},
        }),
      });
      expect(turn.headers.get('content-type')).toContain('text/event-stream');
      const stream = await turn.text();
      expect(stream).toContain('"type":"thread.created"');
      expect(stream).toContain('assistant_message');
    } finally {
      try {
        const family = await descendants(child.pid!);
        const wasRunning = child.exitCode === null;
        await dev.stop();
        const deadline = Date.now() + 15_000;
        while (family.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
        // Only meaningful while it ran (an early exit already failed the test with its output).
        if (wasRunning) expect(family.length).toBeGreaterThan(0);
        expect(family.filter(alive)).toEqual([]);
      } finally {
        await release();
      }
    }
    expect(child.exitCode).toBe(0);
  }, 420_000);
});
