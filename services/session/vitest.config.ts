import { defineConfig } from 'vitest/config';

// "lead-intake-source" resolves workspace packages to their TypeScript sources, so tests need no build step.
export default defineConfig({
  resolve: { conditions: ['lead-intake-source', 'node'] },
  ssr: { resolve: { conditions: ['lead-intake-source', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // The thread store runs on the local Firestore (Cloud Tasks and Secret Manager are per test).
    globalSetup: ['../../tools/dev/src/test-env/global-setup-firestore.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
