import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));

/** What the cross-checks read from a repository root. */
const COPIED = [
  'infra',
  'cloudbuild.yaml',
  'firebase.json',
  'Dockerfile',
  'services/session/package.json',
  'services/lead/package.json',
  'services/lead/src',
  'packages/shared/src/thread-store',
  'packages/shared/shops',
  'docs/deploy.md',
];

export interface Edit {
  /** Path from the repository root. */
  file: string;
  from: string;
  to: string;
  /** Replace every occurrence (default: exactly one must exist). */
  all?: boolean;
}

/**
 * A copy of the deployment files with edits applied; an edit whose text is not found fails the
 * test, so a mutation cannot silently stop mutating anything when the files change.
 */
export function mutatedCopy(edits: Edit[]): { root: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'deploy-checks-'));
  for (const path of COPIED)
    cpSync(join(repoRoot, path), join(root, path), { recursive: true, filter: (src) => !src.includes('node_modules') });
  for (const edit of edits) {
    const path = join(root, edit.file);
    const text = readFileSync(path, 'utf8');
    const count = text.split(edit.from).length - 1;
    if (count === 0 || (!edit.all && count > 1)) throw new Error(`mutation: "${edit.from}" occurs ${count} times in ${edit.file}`);
    writeFileSync(path, edit.all ? text.split(edit.from).join(edit.to) : text.replace(edit.from, edit.to));
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export function writeInCopy(root: string, file: string, text: string): void {
  writeFileSync(join(root, file), text);
}
