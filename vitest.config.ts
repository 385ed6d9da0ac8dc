import { defineConfig } from 'vitest/config';

/**
 * Every workspace as a Vitest project (each one's vitest.config.ts, built by vitest.shared.ts):
 * `npx vitest run --project lead` from the root, or `npx vitest run` in the workspace as its
 * `npm test` does.
 */
export default defineConfig({
  test: {
    projects: ['packages/shared', 'tools/dev', 'services/session', 'services/lead', 'web', 'tools/deploy-checks'],
  },
});
