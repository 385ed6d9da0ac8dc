/**
 * `npm run dev` as a developer runs it: start (with an extra allowed origin, as someone trying the
 * embed on their own page would), load the site through the gateway, one chat turn through the
 * site's own /api rewrites, the embed demo on another origin, Ctrl-C, and nothing left running.
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
  it('when started with ALLOWED_ORIGINS, then the site answers through the gateway, a chat turn streams, the extra origin and the embed demo are allowed besides the site, and Ctrl-C leaves no process behind', async () => {
    const release = await lockDevStack();
    const ports = await freeDevPorts();
    const site = `http://localhost:${ports.DEV_SITE_PORT}`;
    const extra = 'http://localhost:5600';
    const dev = startDev({ ...process.env, ...ports, LOG_LEVEL: 'warn', ALLOWED_ORIGINS: ` ${extra}/ ,` });
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

      // ALLOWED_ORIGINS adds to the dev origins: the site (above), the embed demo and the extra one.
      const embed = `http://localhost:${ports.DEV_EMBED_PORT}`;
      expect(output).toContain(`${embed}/?locale=es`);
      const demo = await (await fetch(`${embed}/?locale=ar`)).text();
      expect(demo).toContain(`<script type="module" src="${site}/widget.js" data-locale="ar"></script>`);
      const mint = (origin: string) =>
        fetch(`${site}/api/chatkit/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: '{}' });
      expect((await mint(embed)).status).toBe(200);
      expect((await mint(extra)).status).toBe(200);
      expect((await mint('http://localhost:5601')).status).toBe(403);
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
