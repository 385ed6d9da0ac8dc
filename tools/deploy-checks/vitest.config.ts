import { defineConfig } from 'vitest/config';

// "lead-intake-source" resolves workspace packages to their TypeScript sources (the services'
// zod configs are imported as they are), so tests need no build step.
export default defineConfig({
  resolve: { conditions: ['lead-intake-source', 'node'] },
  ssr: { resolve: { conditions: ['lead-intake-source', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
