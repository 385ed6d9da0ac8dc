import { z } from 'zod';
import { commonServiceEnv, intFromEnv, optionalString, parseConfig } from '@lead-intake/shared';

const schema = z
  .object({
    ...commonServiceEnv,
    OPENAI_API_KEY: optionalString(),
    CHATKIT_WORKFLOW_ID: optionalString(),
    /** Full Secret Manager version names; default projects/<GOOGLE_CLOUD_PROJECT>/secrets/<NAME>/versions/latest. */
    OPENAI_API_KEY_SECRET: optionalString(),
    CHATKIT_WORKFLOW_ID_SECRET: optionalString(),
    SECRETS_TTL_SECONDS: intFromEnv(300, 10, 86_400),
    /** `host:port` of a local Secret Manager (the dev-tools cloud emulator). */
    SECRET_MANAGER_EMULATOR_HOST: optionalString(),
    /** The openai SDK's standard variable; points it at the local stand-in in dev and tests. */
    OPENAI_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.url('must be a URL').optional()),
    OPENAI_TIMEOUT_MS: intFromEnv(10_000, 100, 120_000),
    OPENAI_MAX_RETRIES: intFromEnv(1, 0, 5),
    /** JSON shop profile; default: the example shop shipped with @lead-intake/shared. */
    SHOP_PROFILE_PATH: optionalString(),
  })
  .superRefine((env, ctx) => {
    const needsSecretManager =
      (!env.OPENAI_API_KEY && !env.OPENAI_API_KEY_SECRET) ||
      (!env.CHATKIT_WORKFLOW_ID && !env.CHATKIT_WORKFLOW_ID_SECRET);
    if (needsSecretManager && !env.GOOGLE_CLOUD_PROJECT) {
      ctx.addIssue({
        code: 'custom',
        path: ['GOOGLE_CLOUD_PROJECT'],
        message:
          'is required to read OPENAI_API_KEY / CHATKIT_WORKFLOW_ID from Secret Manager (or set them in the environment)',
      });
    }
    // Report this together with any other bad variable, not only once the rest is fixed.
  }, { when: () => true });

export type SessionConfig = z.output<typeof schema>;

export const loadConfig = (env: Record<string, string | undefined>): SessionConfig =>
  parseConfig(schema, env, 'services/session');
