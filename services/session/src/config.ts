import { z } from 'zod';
import { commonServiceEnv, openAIEnv, parseConfig, requireProjectForSecrets, secretsEnv } from '@lead-intake/shared';

const secretNames = ['OPENAI_API_KEY', 'CHATKIT_WORKFLOW_ID'] as const;

const schema = z
  .object({
    ...commonServiceEnv,
    ...secretsEnv(secretNames),
    ...openAIEnv({ timeoutMs: 10_000, maxTimeoutMs: 120_000 }),
  })
  // Reported together with any other bad variable, not only once the rest is fixed.
  .superRefine(requireProjectForSecrets(secretNames), { when: () => true });

export type SessionConfig = z.output<typeof schema>;

export const loadConfig = (env: Record<string, string | undefined>): SessionConfig =>
  parseConfig(schema, env, 'services/session');
