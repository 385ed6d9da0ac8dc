/**
 * The code side of the cross-checks: each service's real zod config (services/<name>/src/config.ts)
 * and the values it derives (queue paths, task audiences), as the deployment must satisfy them.
 */
import { z } from 'zod';
import { ConfigError } from '@lead-intake/shared';
import {
  leadEnv,
  loadConfig as loadLeadConfig,
  queueName,
  triggerTaskAudiences,
  type LeadConfig,
} from '../../../../services/lead/src/config.js';
import {
  loadConfig as loadSessionConfig,
  secretNames as sessionSecretNames,
  sessionEnv,
  triggerQueueName,
  type SessionConfig,
} from '../../../../services/session/src/config.js';

type Loaded<C> = { ok: true; config: C } | { ok: false; message: string };

export interface ServiceCode<C> {
  /** The workspace, e.g. services/session. */
  workspace: string;
  /** The module call in infra/modules/lead-intake that defines its Cloud Run service. */
  terraformModule: string;
  /** The `--build-arg SERVICE=` value that builds its image from the root Dockerfile (its directory of services/). */
  serviceArg: string;
  /** The root output naming its image (tags are commits). */
  imageOutput: string;
  /** Paths Firebase Hosting rewrites to it (firebase.json). */
  routes: string[];
  /** Every variable its zod config reads. */
  envKeys: string[];
  /** Secrets (NAME, or NAME_SECRET naming a version; decision 0004). */
  secretNames: string[];
  load(env: Record<string, string>): Loaded<C>;
  /** The Cloud Tasks queue it creates tasks in (projects/…/queues/…). */
  queuePath(config: C): string;
  /** The service account Cloud Tasks signs its tasks' OIDC tokens as. */
  taskServiceAccount(config: C): string | undefined;
}

/** Variables read by libraries rather than our zod configs (the AWS SDK's credentials). */
export const LIBRARY_ENV = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION']);

/** Set by Cloud Run itself; a service definition may not set them. */
export const CLOUD_RUN_RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION']);

/** What Cloud Run gives every container. */
export const CLOUD_RUN_PROVIDED_ENV = { PORT: '8080', K_SERVICE: 'service', K_REVISION: 'service-00001-abc', K_CONFIGURATION: 'service' };

function loader<C>(load: (env: Record<string, string | undefined>) => C): (env: Record<string, string>) => Loaded<C> {
  return (env) => {
    try {
      return { ok: true, config: load(env) };
    } catch (error) {
      if (error instanceof ConfigError || error instanceof z.ZodError) return { ok: false, message: error.message };
      throw error;
    }
  };
}

/** Secret names of a zod env shape: NAME where NAME_SECRET is a variable too. */
const secretNamesOf = (keys: string[]): string[] => keys.filter((key) => keys.includes(`${key}_SECRET`));

const sessionCode: ServiceCode<SessionConfig> & { leadTriggerUrl(config: SessionConfig): string | undefined } = {
  workspace: 'services/session',
  terraformModule: 'session_service',
  serviceArg: 'session',
  imageOutput: 'session_image',
  routes: ['/api/chatkit/session', '/api/chatkit'],
  envKeys: Object.keys(sessionEnv),
  secretNames: [...sessionSecretNames],
  load: loader(loadSessionConfig),
  queuePath: triggerQueueName,
  taskServiceAccount: (config) => config.TASK_SERVICE_ACCOUNT_EMAIL,
  leadTriggerUrl: (config) => config.LEAD_TRIGGER_URL,
};

const leadCode: ServiceCode<LeadConfig> & {
  taskSettings(config: LeadConfig): { maxAttempts: number; dispatchDeadlineSeconds: number; leaseSeconds: number; handlerUrl: string };
  triggerAudiences(config: LeadConfig): string[];
} = {
  workspace: 'services/lead',
  terraformModule: 'lead_service',
  serviceArg: 'lead',
  imageOutput: 'lead_image',
  routes: ['/api/chatkit/lead'],
  envKeys: Object.keys(leadEnv),
  secretNames: secretNamesOf(Object.keys(leadEnv)),
  load: loader(loadLeadConfig),
  queuePath: queueName,
  taskServiceAccount: (config) => config.TASK_SERVICE_ACCOUNT_EMAIL,
  taskSettings: (config) => ({
    maxAttempts: config.TASK_MAX_ATTEMPTS,
    dispatchDeadlineSeconds: config.TASK_DISPATCH_DEADLINE_SECONDS,
    leaseSeconds: config.LEAD_LEASE_SECONDS,
    handlerUrl: config.TASK_HANDLER_URL,
  }),
  triggerAudiences: triggerTaskAudiences,
};

type SessionCode = typeof sessionCode;
type LeadCode = typeof leadCode;
export interface Code {
  session: SessionCode;
  lead: LeadCode;
}
export const code: Code = { session: sessionCode, lead: leadCode };
