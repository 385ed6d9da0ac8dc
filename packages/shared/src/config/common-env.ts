import { z } from 'zod';
import { intFromEnv, logLevelFromEnv, optionalString, originListFromEnv, trustProxyFromEnv } from './parse-config.js';
import { isCidr } from '../http/client-ip.js';
import { DEFAULT_DEADLINE_MS } from '../gcp/deadline.js';

const cidrListFromEnv = () =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value : ''),
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      )
      .refine((list) => list.every(isCidr), 'must be comma-separated CIDR ranges such as 35.190.0.0/17'),
  );

/** Variables every HTTP service reads; each service's schema extends this. */
export const commonServiceEnv = {
  PORT: intFromEnv(8080, 1, 65535),
  LOG_LEVEL: logLevelFromEnv(),
  /** Cloud Run sets K_REVISION; shown in logs. */
  K_REVISION: optionalString(),
  GOOGLE_CLOUD_PROJECT: optionalString(),
  ALLOWED_ORIGINS: originListFromEnv(),
  RATE_LIMIT_PER_MINUTE: intFromEnv(10, 1, 100_000),
  TRUST_PROXY: trustProxyFromEnv(1),
  /** CIDR ranges of proxies trusted beyond TRUST_PROXY hops (Firebase Hosting's egress); decision 0007. */
  TRUSTED_PROXY_RANGES: cidrListFromEnv(),
  /** Max time a SIGTERM drain waits for in-flight requests (Cloud Run allows 10 s). */
  SHUTDOWN_TIMEOUT_MS: intFromEnv(8000, 0, 60_000),
  /** JSON shop profile; default: the example shop shipped with @lead-intake/shared. */
  SHOP_PROFILE_PATH: optionalString(),
  /** Each Firestore call (a transaction with its retries included) gives up after this long: 503 + Retry-After. */
  FIRESTORE_DEADLINE_MS: intFromEnv(DEFAULT_DEADLINE_MS, 100, 60_000),
  /** Each Cloud Tasks call gives up after this long. */
  CLOUD_TASKS_DEADLINE_MS: intFromEnv(DEFAULT_DEADLINE_MS, 100, 60_000),
} satisfies z.ZodRawShape;

/** An optional absolute URL (an empty variable counts as unset). */
export const optionalUrlFromEnv = () => z.preprocess((value) => (value === '' ? undefined : value), z.url('must be a URL').optional());

/** The openai SDK settings; `OPENAI_BASE_URL` is the SDK's own variable (the stand-in in dev). */
export const openAIEnv = (defaults: { timeoutMs: number; maxTimeoutMs: number }) =>
  ({
    OPENAI_BASE_URL: optionalUrlFromEnv(),
    OPENAI_TIMEOUT_MS: intFromEnv(defaults.timeoutMs, 100, defaults.maxTimeoutMs),
    OPENAI_MAX_RETRIES: intFromEnv(1, 0, 5),
  }) satisfies z.ZodRawShape;

type SecretVariables<K extends string> = Record<K | `${K}_SECRET`, ReturnType<typeof optionalString>>;

/**
 * Secrets as every service takes them (decision 0004): `NAME` from the environment, else Secret
 * Manager, `NAME_SECRET` naming another version; plus the cache TTL and the local emulator.
 */
export function secretsEnv<K extends string>(names: readonly K[]) {
  const variables = {} as SecretVariables<K>;
  for (const name of names) {
    variables[name] = optionalString();
    variables[`${name}_SECRET`] = optionalString();
  }
  return {
    ...variables,
    SECRETS_TTL_SECONDS: intFromEnv(300, 10, 86_400),
    /** Each Secret Manager read gives up after this long (requests needing the secret: 503 + Retry-After). */
    SECRET_MANAGER_DEADLINE_MS: intFromEnv(DEFAULT_DEADLINE_MS, 100, 60_000),
    /** `host:port` of a local Secret Manager (the dev-tools cloud emulator). */
    SECRET_MANAGER_EMULATOR_HOST: optionalString(),
  };
}

/** A Secret Manager name needs a project unless every secret is in the environment or fully named. */
export function requireProjectForSecrets<K extends string>(names: readonly K[]) {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx): void => {
    const fromSecretManager = names.filter((name) => !env[name] && !env[`${name}_SECRET`]);
    if (fromSecretManager.length > 0 && !env.GOOGLE_CLOUD_PROJECT) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_CLOUD_PROJECT'],
        message: `is required to read ${fromSecretManager.join(' / ')} from Secret Manager (or set them in the environment)`,
      });
    }
  };
}
