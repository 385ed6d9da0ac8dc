/**
 * The README's "Try a lead end to end" block, run as printed against `npm run dev`: the only
 * change is the ports (the stack runs on free ones here, the README shows the defaults).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freeDevPorts, startDev } from './support/dev-process.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The shell lines of the README block that follows "Try a lead end to end", comments dropped. */
function readmeLeadBlock(): string[] {
  const readme = readFileSync(`${root}README.md`, 'utf8');
  const start = readme.indexOf('Try a lead end to end');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(start));
  if (start < 0 || !block?.[1]) throw new Error('README has no "Try a lead end to end" sh block');
  // Join continued lines, drop comment lines.
  return block[1]
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

/** Runs one README line in bash from the repository root; strips a trailing `# comment`. */
async function sh(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = line.replace(/\s+# .*$/, '');
  try {
    const { stdout, stderr } = await run('bash', ['-c', command], { cwd: root, env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('README: a lead end to end on npm run dev', () => {
  it('when the README block is run as printed (on free ports), then the lead is queued, `npm run lead -- status` shows it sent and `preview` renders it with and without the stand-in summary', async () => {
    const lines = readmeLeadBlock();
    const [curl, exportLine, status, preview] = [
      lines.find((line) => line.startsWith('curl ')),
      lines.find((line) => line.startsWith('export ')),
      lines.find((line) => line.startsWith('npm run lead -- status ')),
      lines.find((line) => line.startsWith('npm run lead -- preview ')),
    ];
    expect([curl, exportLine, status, preview].every(Boolean), lines.join('\n')).toBe(true);

    const dev = await freeDevPorts();
    const ports = { lead: dev.DEV_LEAD_PORT, firestore: dev.DEV_FIRESTORE_PORT, openai: dev.DEV_OPENAI_PORT };
    // The README's default ports, each replaced by the free one this run uses.
    const withPorts = (line: string): string =>
      line
        .replace(/localhost:8082\b/g, `localhost:${ports.lead}`)
        .replace(/127\.0\.0\.1:8090\b/g, `127.0.0.1:${ports.firestore}`)
        .replace(/127\.0\.0\.1:8788\b/g, `127.0.0.1:${ports.openai}`);
    expect(curl).toContain('localhost:8082');
    expect(exportLine).toContain('127.0.0.1:8090');

    const devEnv: NodeJS.ProcessEnv = { ...process.env, ...dev, LOG_LEVEL: 'warn' };
    for (const name of ['FIRESTORE_EMULATOR_HOST', 'GOOGLE_CLOUD_PROJECT', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete devEnv[name];
    const stack = startDev(devEnv);
    try {
      await stack.ready();
      expect(stack.output()).toContain('Ctrl-C stops everything');

      // Right after the table, as a person would: the curl line.
      const trigger = await sh(withPorts(curl!), devEnv);
      expect(trigger.code, trigger.stderr).toBe(0);
      expect(JSON.parse(trigger.stdout)).toMatchObject({ ok: true, reason: 'queued' });

      // `export …` then the CLI lines, in one shell as the README's reader has it.
      const cli = (line: string) => sh(`${withPorts(exportLine!)}\n${withPorts(line)}`, devEnv);
      let record: { state?: string; delivery?: string } = {};
      const sentBy = Date.now() + 60_000;
      while (record.state !== 'sent' && Date.now() < sentBy) {
        const shown = await cli(status!);
        expect(shown.code, shown.stdout + shown.stderr).toBe(0);
        record = JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{'))) as typeof record;
        if (record.state !== 'sent') await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(record).toMatchObject({ state: 'sent', delivery: 'confirmed' });

      const previewed = await cli(preview!);
      expect(previewed.code, previewed.stdout + previewed.stderr).toBe(0);
      expect(previewed.stdout).toContain('Thread:   cthr_fixture_seat_tear_en');
      expect(previewed.stdout).toMatch(/Subject: +New lead \(AI summary unavailable\)/);

      // The preview line's comment: "(+ OPENAI_API_KEY=… OPENAI_BASE_URL=… for the summary)".
      const summaryEnv = /\(\+ (.+?) for the summary\)/.exec(preview!)?.[1];
      expect(summaryEnv).toContain('OPENAI_BASE_URL=http://127.0.0.1:8788/v1');
      const withSummary = await cli(`export ${withPorts(summaryEnv!)}\n${preview!.replace(/\s+# .*$/, '').replace(' --no-summary', '')}`);
      expect(withSummary.code, withSummary.stdout + withSummary.stderr).toBe(0);
      expect(withSummary.stdout).toMatch(/Subject: +New lead: /);
      expect(withSummary.stdout).not.toContain('AI summary unavailable');
    } finally {
      await stack.stop();
    }
  }, 240_000);
});
