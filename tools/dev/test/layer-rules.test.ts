/**
 * The repository's dependency-cruiser rules (.dependency-cruiser.cjs, run by `npm test` over the
 * real code) catch what they are for: a probe tree that breaks each rule once.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));

const probe: Record<string, string> = {
  'services/demo/src/adapters/db.ts': 'export const db = 1;\n',
  'services/demo/src/domain/pure.ts':
    "import type { Request } from 'express';\nimport { db } from '../adapters/db.js';\nexport const x = (r: Request) => db + String(r);\n",
  'services/demo/src/domain/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
  'services/demo/src/domain/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
  'services/demo/src/use-cases/act.ts': "import { db } from '../adapters/db.js';\nexport const act = () => db;\n",
  'services/demo/src/use-cases/ask.ts': "import type OpenAI from 'openai';\nexport type Ask = OpenAI;\n",
  'services/demo/src/ports.ts': "import type { IncomingMessage } from 'node:http';\nexport type Port = (m: IncomingMessage) => void;\n",
  'services/demo/src/uses-tools.ts': "import { t } from '../../../tools/dev/src/t.js';\nexport const u = t;\n",
  'services/other/src/peek.ts': "import { x } from '../../demo/src/domain/pure.js';\nexport const peek = x;\n",
  'packages/shared/src/up.ts': "import { act } from '../../../services/demo/src/use-cases/act.js';\nexport const up = act;\n",
  'tools/dev/src/t.ts': 'export const t = 1;\n',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'layer-rules-'));
  for (const [path, text] of Object.entries(probe)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await cp(join(root, 'tsconfig.base.json'), join(dir, 'tsconfig.base.json'));
  await writeFile(join(dir, 'package.json'), '{"type":"module"}\n');
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string }[] };
}

describe('layer rules (dependency-cruiser)', () => {
  it('when code breaks each layer rule once, then depcruise names every rule with the offending import', async () => {
    const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
    const config = join(root, '.dependency-cruiser.cjs');
    const result = await run(process.execPath, [bin, 'services', 'packages', 'tools', '--config', config, '--output-type', 'json'], {
      cwd: dir,
    })
      .then(({ stdout }) => stdout)
      .catch((error: { stdout?: string }) => error.stdout ?? '');
    const { violations } = (JSON.parse(result) as Cruise).summary;
    // Packages resolve through the probe's node_modules link to the repository's.
    const found = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*\/node_modules\//, 'node_modules/')}`).sort();
    expect(found).toEqual(
      [
        'domain-imports-no-outer-layer: services/demo/src/domain/pure.ts → services/demo/src/adapters/db.ts',
        'domain-imports-no-http-or-sdk: services/demo/src/domain/pure.ts → node_modules/express/index.js',
        'use-cases-and-ports-import-no-adapter: services/demo/src/use-cases/act.ts → services/demo/src/adapters/db.ts',
        'use-cases-and-ports-import-no-http-or-sdk: services/demo/src/ports.ts → http',
        'use-cases-and-ports-import-no-http-or-sdk: services/demo/src/use-cases/ask.ts → node_modules/openai/index.d.mts',
        'no-service-imports-another: services/other/src/peek.ts → services/demo/src/domain/pure.ts',
        'product-imports-no-dev-tools-or-tests: services/demo/src/uses-tools.ts → tools/dev/src/t.ts',
        'shared-imports-no-service: packages/shared/src/up.ts → services/demo/src/use-cases/act.ts',
        'no-circular: services/demo/src/domain/a.ts → services/demo/src/domain/b.ts',
      ].sort(),
    );
  }, 60_000);
});
