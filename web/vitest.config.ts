import { workspaceProject } from '../vitest.shared.js';

export default workspaceProject('web', {
  // Each browser suite starts the whole local cloud and a chromium: one at a time on 2 cores.
  fileParallelism: false,
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
