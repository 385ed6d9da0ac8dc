import { z } from 'zod';
import {
  cloudTasksQueuePath,
  commonServiceEnv,
  intFromEnv,
  openAIEnv,
  optionalString,
  optionalUrlFromEnv,
  parseConfig,
  requireProjectForSecrets,
  secretsEnv,
} from '@lead-intake/shared';

export const secretNames = ['OPENAI_API_KEY', 'VISITOR_TOKEN_KEYS'] as const;

const numberFromEnv = (defaultValue: number, min: number, max: number) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? defaultValue : Number(value)),
    z.number(`must be a number from ${min} to ${max}`).min(min).max(max),
  );

export const sessionEnv = {
  ...commonServiceEnv,
  ...secretsEnv(secretNames),
  ...openAIEnv({ timeoutMs: 30_000, maxTimeoutMs: 300_000 }),
  /** Lifetime of a visitor token; the widget refreshes before it ends. */
  VISITOR_TOKEN_TTL_SECONDS: intFromEnv(900, 60, 86_400),
  CHATKIT_RATE_LIMIT_PER_MINUTE: intFromEnv(120, 1, 100_000),

  AGENT_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  AGENT_TEMPERATURE: numberFromEnv(0.3, 0, 2),
  AGENT_MAX_OUTPUT_TOKENS: intFromEnv(600, 16, 32_000),
  AGENT_HISTORY_ITEMS: intFromEnv(40, 2, 200),
  /** Longest quiet time between the model's stream events before the turn ends with a retryable error. */
  AGENT_STREAM_IDLE_TIMEOUT_MS: intFromEnv(15_000, 100, 300_000),
  /** Characters of conversation text sent to the model per turn at most, oldest messages dropped first. */
  AGENT_HISTORY_CHARS: intFromEnv(16_000, 1_000, 400_000),

  CHAT_THREADS_COLLECTION: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a collection id')
    .default('chatThreads'),
  CHAT_RETENTION_DAYS: intFromEnv(90, 1, 3650),

  LIMIT_MESSAGES_PER_MINUTE_PER_VISITOR: intFromEnv(10, 1, 10_000),
  LIMIT_MESSAGES_PER_MINUTE_PER_IP: intFromEnv(30, 1, 100_000),
  LIMIT_INPUT_CHARS: intFromEnv(2000, 1, 50_000),
  LIMIT_MESSAGES_PER_THREAD: intFromEnv(40, 1, 10_000),
  LIMIT_THREADS_PER_VISITOR_PER_DAY: intFromEnv(10, 1, 10_000),

  /** The lead service's /tasks/trigger; unset → no server-side `auto` trigger (a warning at startup). */
  LEAD_TRIGGER_URL: optionalUrlFromEnv(),
  LEAD_TRIGGER_QUEUE: z.string().min(1).default('lead-triggers'),
  CLOUD_TASKS_LOCATION: z.string().default('us-west1'),
  CLOUD_TASKS_EMULATOR_HOST: optionalString(),
  TASK_SERVICE_ACCOUNT_EMAIL: optionalString(),
} satisfies z.ZodRawShape;

const schema = z.object(sessionEnv).superRefine(
  (env, ctx) => {
    requireProjectForSecrets(secretNames)(env, ctx);
    if (env.AGENT_HISTORY_CHARS < env.LIMIT_INPUT_CHARS) {
      ctx.addIssue({
        code: 'custom',
        path: ['AGENT_HISTORY_CHARS'],
        message: `must be at least LIMIT_INPUT_CHARS (${env.LIMIT_INPUT_CHARS}): the newest message always goes to the model`,
      });
    }
    if (env.LEAD_TRIGGER_URL) {
      if (!env.TASK_SERVICE_ACCOUNT_EMAIL || !z.email().safeParse(env.TASK_SERVICE_ACCOUNT_EMAIL).success) {
        ctx.addIssue({
          code: 'custom',
          path: ['TASK_SERVICE_ACCOUNT_EMAIL'],
          message: 'is required with LEAD_TRIGGER_URL: the service account Cloud Tasks signs tokens as',
        });
      }
      if (!env.LEAD_TRIGGER_QUEUE.startsWith('projects/') && !env.GOOGLE_CLOUD_PROJECT) {
        ctx.addIssue({ code: 'custom', path: ['GOOGLE_CLOUD_PROJECT'], message: 'is required to name the lead trigger queue' });
      }
    }
  },
  { when: () => true },
);

export type SessionConfig = z.output<typeof schema>;

export const loadConfig = (env: Record<string, string | undefined>): SessionConfig => parseConfig(schema, env, 'services/session');

export const triggerQueueName = (config: SessionConfig): string =>
  cloudTasksQueuePath(config.LEAD_TRIGGER_QUEUE, config.GOOGLE_CLOUD_PROJECT, config.CLOUD_TASKS_LOCATION);
