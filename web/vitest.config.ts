import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['lead-intake-source', 'node'] },
  ssr: { resolve: { conditions: ['lead-intake-source', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
