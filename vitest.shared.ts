import { defineConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The one Vitest configuration: every workspace's `vitest.config.ts` is a project made here, and
 * the root `vitest.config.ts` lists them (docs/decisions/0017-checks-in-npm-test.md).
 * "lead-intake-source" resolves workspace packages to their TypeScript sources, so tests need no
 * build step.
 */
const conditions = ['lead-intake-source', 'node'];

type TestOptions = NonNullable<ViteUserConfig['test']>;

/**
 * A workspace's config: its own `npm test` (`vitest run` in the workspace) runs it as the root,
 * the repository's `vitest.config.ts` as one of its projects.
 */
export function workspaceProject(name: string, test: Omit<TestOptions, 'name'> = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      hookTimeout: 30_000,
      ...test,
    },
  });
}
