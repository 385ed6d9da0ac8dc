/**
 * The README's "Try a lead end to end" block, run as printed against `npm run dev`: the only
 * change is the ports (the stack runs on free ones here, the README shows the defaults).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { freeDevPorts, lockDevStack, startDev } from './support/dev-process.js';

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
  it('when the README block is run as printed (on free ports), then the lead is queued, `npm run lead -- status` shows it sent, `preview` renders it with and without the stand-in summary, and `resend` emails it again', async () => {
    const lines = readmeLeadBlock();
    const exportLines = lines.filter((line) => line.startsWith('export '));
    const [curl, exportLine, status, preview, resendExport, resend] = [
      lines.find((line) => line.startsWith('curl ')),
      exportLines[0],
      lines.find((line) => line.startsWith('npm run lead -- status ')),
      lines.find((line) => line.startsWith('npm run lead -- preview ')),
      exportLines[1],
      lines.find((line) => line.startsWith('npm run lead -- resend ')),
    ];
    expect([curl, exportLine, status, preview, resendExport, resend].every(Boolean), lines.join('\n')).toBe(true);

    const dev = await freeDevPorts();
    const ports = {
      lead: dev.DEV_LEAD_PORT,
      firestore: dev.DEV_FIRESTORE_PORT,
      openai: dev.DEV_OPENAI_PORT,
      cloudGrpc: dev.DEV_CLOUD_GRPC_PORT,
    };
    // The README's default ports, each replaced by the free one this run uses.
    const withPorts = (line: string): string =>
      line
        .replace(/(localhost|127\.0\.0\.1):8082\b/g, `$1:${ports.lead}`)
        .replace(/127\.0\.0\.1:8090\b/g, `127.0.0.1:${ports.firestore}`)
        .replace(/127\.0\.0\.1:8788\b/g, `127.0.0.1:${ports.openai}`)
        .replace(/127\.0\.0\.1:8085\b/g, `127.0.0.1:${ports.cloudGrpc}`);
    expect(curl).toContain('localhost:8082');
    expect(exportLine).toContain('127.0.0.1:8090');

    const devEnv: NodeJS.ProcessEnv = { ...process.env, ...dev, LOG_LEVEL: 'warn' };
    for (const name of ['FIRESTORE_EMULATOR_HOST', 'GOOGLE_CLOUD_PROJECT', 'OPENAI_API_KEY', 'OPENAI_BASE_URL']) delete devEnv[name];
    const release = await lockDevStack();
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
      type Shown = { state?: string; delivery?: string; sesMessageId?: string | null };
      /** `status` until the record is sent with a message id other than `previous`. */
      const sentRecord = async (previous?: string | null): Promise<Shown> => {
        let record: Shown = {};
        const sentBy = Date.now() + 60_000;
        while (!(record.state === 'sent' && record.sesMessageId !== previous) && Date.now() < sentBy) {
          const shown = await cli(status!);
          expect(shown.code, shown.stdout + shown.stderr).toBe(0);
          record = JSON.parse(shown.stdout.slice(shown.stdout.indexOf('{'))) as Shown;
          if (record.state !== 'sent') await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        return record;
      };
      const record = await sentRecord();
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

      // The resend lines: with the export before them, the CLI schedules a new task and the shop gets the email again.
      const resent = await sh(`${withPorts(exportLine!)}\n${withPorts(resendExport!)}\n${resend!}`, devEnv);
      expect(resent.code, resent.stdout + resent.stderr).toBe(0);
      expect(resent.stdout).toContain('sent state cleared (audited) and a resend task scheduled');
      const again = await sentRecord(record.sesMessageId);
      expect(again).toMatchObject({ state: 'sent', delivery: 'confirmed' });
      expect(again.sesMessageId).toBeTruthy();
      expect(again.sesMessageId).not.toBe(record.sesMessageId);
    } finally {
      await stack.stop();
      await release();
    }
  }, 420_000);
});
