import { workspaceProject } from '../../vitest.shared.js';

export default workspaceProject('session', {
  // The thread store runs on the local Firestore (Cloud Tasks and Secret Manager are per test).
  globalSetup: ['../../tools/dev/src/test-env/global-setup-firestore.ts'],
});
