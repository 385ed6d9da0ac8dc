import { workspaceProject } from '../../vitest.shared.js';

export default workspaceProject('lead', {
  // Firestore and SES stand-ins, started once per run on free ports.
  globalSetup: ['../../tools/dev/src/test-env/global-setup-firestore-ses.ts'],
  testTimeout: 30_000,
});
