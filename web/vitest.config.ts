import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['lead-intake-source', 'node'] },
  ssr: { resolve: { conditions: ['lead-intake-source', 'node'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Each browser suite starts the whole local cloud and a chromium: one at a time on 2 cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
