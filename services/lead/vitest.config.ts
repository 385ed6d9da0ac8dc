import { defineConfig } from 'vitest/config';

// "lead-intake-source" resolves workspace packages to their TypeScript sources, so tests need no build step.
export default defineConfig({
  resolve: { conditions: ['lead-intake-source', 'node'] },
  ssr: { resolve: { conditions: ['lead-intake-source', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Firestore and SES stand-ins, started once per run on free ports.
    globalSetup: ['../../tools/dev/src/test-env/global-setup-firestore-ses.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
