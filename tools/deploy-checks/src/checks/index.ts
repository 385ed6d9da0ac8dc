import { checkCloudBuildDeploys, checkCloudBuildSite, checkBuildPermissions } from './cloudbuild.js';
import { checkDeployGuide } from './deploy-guide.js';
import type { Deployment } from './deployment.js';
import { checkFirestore } from './firestore.js';
import { checkHostingRewrites } from './hosting.js';
import { checkImageBuilds } from './image-builds.js';
import { checkNode24 } from './node24.js';
import { checkServiceEnv } from './service-env.js';
import type { Code } from './services.js';
import { checkQueues, checkRetrySettings, checkTaskIdentity } from './tasks.js';
import { checkApis, checkCloudRunShape, checkLeastPrivilege, checkModuleInterfaces } from './terraform-hygiene.js';

export type Check = (deployment: Deployment, code: Code) => Promise<string[]> | string[];

/** Every cross-check by name; each returns the problems it found (none = consistent). */
export const checks = {
  serviceEnv: checkServiceEnv,
  queues: checkQueues,
  retrySettings: checkRetrySettings,
  taskIdentity: checkTaskIdentity,
  hostingRewrites: checkHostingRewrites,
  cloudBuildDeploys: checkCloudBuildDeploys,
  cloudBuildSite: checkCloudBuildSite,
  buildPermissions: checkBuildPermissions,
  imageBuilds: checkImageBuilds,
  node24: checkNode24,
  firestore: checkFirestore,
  moduleInterfaces: checkModuleInterfaces,
  leastPrivilege: checkLeastPrivilege,
  cloudRunShape: checkCloudRunShape,
  apis: checkApis,
  deployGuide: checkDeployGuide,
} satisfies Record<string, Check>;

export type CheckName = keyof typeof checks;
