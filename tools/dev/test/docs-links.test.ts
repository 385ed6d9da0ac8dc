/**
 * The documentation stands alone: every relative link in the repository's Markdown files points
 * at a file or folder of the repository, and the README names no path outside it.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SKIP = new Set(['node_modules', 'dist', '.git', 'test-results', 'coverage', '.dev']);

async function markdownFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await markdownFiles(path)));
    else if (entry.name.endsWith('.md')) found.push(path);
  }
  return found;
}

/** `[text](target)` links that are neither web addresses nor same-page anchors. */
const relativeLinks = (markdown: string): string[] =>
  [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^([a-z]+:|#)/i.test(target))
    .map((target) => target.replace(/#.*$/, ''));

describe('the documentation', () => {
  it('when a Markdown file links to a path, then the path is in the repository and exists', async () => {
    const broken: string[] = [];
    const files = await markdownFiles(root);
    expect(files.map((file) => relative(root, file))).toContain('docs/contract.md');
    for (const file of files) {
      for (const target of relativeLinks(await readFile(file, 'utf8'))) {
        const path = resolve(dirname(file), target);
        const inside = !relative(root, path).startsWith('..');
        if (!inside || !existsSync(path)) broken.push(`${relative(root, file)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('when the README names a path, then it never points outside the repository', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme.match(/`\.\.\/[^`]*`/g) ?? []).toEqual([]);
    expect(relativeLinks(readme).filter((target) => target.startsWith('../'))).toEqual([]);
  });
});
