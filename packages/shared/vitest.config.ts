import { workspaceProject } from '../../vitest.shared.js';

export default workspaceProject('shared', {
  // The thread store's tests run against the local Firestore, started once per run.
  globalSetup: ['../../tools/dev/src/test-env/global-setup-firestore.ts'],
});
