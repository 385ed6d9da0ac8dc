import { expect } from 'vitest';
import { checks, type CheckName } from '../../src/checks/index.js';
import { loadDeployment } from '../../src/checks/deployment.js';
import { code as realCode, type Code } from '../../src/checks/services.js';
import { mutatedCopy, writeInCopy, type Edit } from './mutated-copy.js';

/** Runs one check on a mutated copy and returns its problems (the copy is removed afterwards). */
export async function problemsAfter(
  check: CheckName,
  edits: Edit[],
  options: { code?: Code; files?: Record<string, string> } = {},
): Promise<string[]> {
  const copy = mutatedCopy(edits);
  try {
    for (const [file, text] of Object.entries(options.files ?? {})) writeInCopy(copy.root, file, text);
    const deployment = await loadDeployment(copy.root);
    return await checks[check](deployment, options.code ?? realCode);
  } finally {
    copy.cleanup();
  }
}

/** The check fails, and one of its problems matches. */
export async function expectProblem(
  check: CheckName,
  edits: Edit[],
  pattern: RegExp,
  options?: { code?: Code; files?: Record<string, string> },
): Promise<void> {
  const problems = await problemsAfter(check, edits, options);
  expect(problems.length, `the ${check} check should fail`).toBeGreaterThan(0);
  expect(
    problems.some((problem) => pattern.test(problem)),
    `no problem matches ${pattern}:\n${problems.join('\n')}`,
  ).toBe(true);
}
