import { z } from 'zod';
import {
  booleanFromEnv,
  cloudTasksQueuePath,
  commonServiceEnv,
  intFromEnv,
  openAIEnv,
  optionalString,
  optionalUrlFromEnv,
  parseConfig,
  requireProjectForSecrets,
  secretsEnv,
  type FirestoreThreadStoreOptions,
} from '@lead-intake/shared';
import type { FirestoreLeadRecordStoreOptions } from './adapters/firestore-lead-record-store.js';
import type { LeadPolicy } from './domain/lead-machine.js';

/** Comma-separated values each `item` accepts (an empty or unset variable = none); the first bad one is named. */
const commaList = (item: z.ZodType<string>, isNot: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v : ''),
    z.string().transform((value, ctx) => {
      const list = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
      const bad = list.find((part) => !item.safeParse(part).success);
      if (bad === undefined) return list;
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not ${isNot}` });
      return z.NEVER;
    }),
  );

const emailList = commaList(z.email(), 'an email address');

const collectionId = (fallback: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be a collection id')
    .default(fallback);

/** Comma-separated absolute URLs; empty or unset = none. */
const urlList = commaList(z.url(), 'an absolute URL');

const secretNames = ['OPENAI_API_KEY'] as const;

/** Every variable of the lead service (the ops CLI parses the subset it needs). */
export const leadEnv = {
  ...commonServiceEnv,
  RATE_LIMIT_PER_MINUTE: intFromEnv(30, 1, 100_000),
  ...secretsEnv(secretNames),
  ...openAIEnv({ timeoutMs: 30_000, maxTimeoutMs: 300_000 }),
  LEAD_SUMMARY_MODEL: z.string().min(1).default('gpt-4.1-mini'),

  FIRESTORE_COLLECTION: collectionId('leadThreads'),
  /** Where the session service's thread store keeps the ChatKit threads this service reads. */
  CHAT_THREADS_COLLECTION: collectionId('chatThreads'),
  /** `projects/<p>/locations/<l>/queues/<q>`, or just the queue id with CLOUD_TASKS_LOCATION. */
  CLOUD_TASKS_QUEUE: z.string().min(1, 'is required').default('lead-evaluations'),
  CLOUD_TASKS_LOCATION: z.string().default('us-west1'),
  /** `host:port` of the local Cloud Tasks (dev-tools cloud emulator). */
  CLOUD_TASKS_EMULATOR_HOST: optionalString(),
  /** Public URL of this service's task endpoint, e.g. https://chatkit-lead-xyz.a.run.app/tasks/lead */
  TASK_HANDLER_URL: z.url('must be the absolute URL of /tasks/lead'),
  TASK_SERVICE_ACCOUNT_EMAIL: z.email('must be the service account email Cloud Tasks signs tokens for'),
  /** The audience of /tasks/lead tokens (what our tasks are created with); default TASK_HANDLER_URL. */
  TASK_AUDIENCE: optionalString(),
  /**
   * Audiences /tasks/trigger accepts (comma-separated); default TASK_HANDLER_URL's origin +
   * `/tasks/trigger`, the audience Cloud Tasks uses when the session service sets none.
   */
  TRIGGER_TASK_AUDIENCE: urlList,
  /** The local emulator serves its own certs and issuer; unset in production (Google's). */
  OIDC_CERTS_URL: optionalString(),
  OIDC_ISSUERS: optionalString(),
  TASK_DISPATCH_DEADLINE_SECONDS: intFromEnv(300, 15, 1800),
  /** Must match the queue's retryConfig.maxAttempts: the last attempt sends a degraded email. */
  TASK_MAX_ATTEMPTS: intFromEnv(8, 1, 100),

  LEAD_AUTO_DELAY_SECONDS: intFromEnv(5, 0, 300),
  LEAD_SAFETY_NET_DELAY_SECONDS: intFromEnv(1800, 0, 86_400),
  LEAD_LEASE_SECONDS: intFromEnv(600, 10, 86_400),
  LEAD_COOLDOWN_SECONDS: intFromEnv(300, 0, 86_400),
  /** At most one follow-up email per window; `auto` follow-ups wait a window for the customer to finish. */
  LEAD_FOLLOW_UP_WINDOW_SECONDS: intFromEnv(300, 1, 86_400),
  LEAD_RETENTION_DAYS: intFromEnv(30, 1, 3650),

  SES_REGION: z.string().min(1).default('us-west-1'),
  /** Local SES (aws-ses-v2-local) endpoint; unset in production. */
  SES_ENDPOINT: optionalUrlFromEnv(),
  LEAD_TO_EMAIL: emailList.refine((list) => list.length > 0, 'must list at least one address'),
  LEAD_FROM_EMAIL: z.email('must be a verified SES sender address'),
  /** Language of the shop's email labels and AI notes. */
  SHOP_EMAIL_LANGUAGE: z.string().min(2).default('en'),
  VISITOR_RECAP_ENABLED: booleanFromEnv(false),
  /**
   * The lead email's "Conversation record" link for operators, `{threadId}` filled in, e.g. the
   * thread's Firestore console page; unset → no link (the subject always carries the thread id).
   */
  CONVERSATION_URL_TEMPLATE: optionalString().refine(
    (value) =>
      value === undefined ||
      (/^https?:\/\//.test(value) && value.includes('{threadId}') && URL.canParse(value.replaceAll('{threadId}', 'x'))),
    'must be an http(s) URL containing {threadId}',
  ),
} satisfies z.ZodRawShape;

const schema = z.object(leadEnv).superRefine(
  (env, ctx) => {
    requireProjectForSecrets(secretNames)(env, ctx);
    if (!env.CLOUD_TASKS_QUEUE.startsWith('projects/') && !env.GOOGLE_CLOUD_PROJECT) {
      ctx.addIssue({ code: 'custom', path: ['GOOGLE_CLOUD_PROJECT'], message: 'is required to name the Cloud Tasks queue' });
    }
  },
  { when: () => true },
);

export type LeadConfig = z.output<typeof schema>;

export const loadConfig = (env: Record<string, string | undefined>): LeadConfig => parseConfig(schema, env, 'services/lead');

export const queueName = (config: Pick<LeadConfig, 'CLOUD_TASKS_QUEUE' | 'GOOGLE_CLOUD_PROJECT' | 'CLOUD_TASKS_LOCATION'>): string =>
  cloudTasksQueuePath(config.CLOUD_TASKS_QUEUE, config.GOOGLE_CLOUD_PROJECT, config.CLOUD_TASKS_LOCATION);

/** The audience /tasks/lead tokens carry and the worker accepts. */
export const leadTaskAudience = (config: Pick<LeadConfig, 'TASK_AUDIENCE' | 'TASK_HANDLER_URL'>): string =>
  config.TASK_AUDIENCE ?? config.TASK_HANDLER_URL;

/** The audiences /tasks/trigger accepts. */
export const triggerTaskAudiences = (config: Pick<LeadConfig, 'TRIGGER_TASK_AUDIENCE' | 'TASK_HANDLER_URL'>): string[] =>
  config.TRIGGER_TASK_AUDIENCE.length > 0 ? config.TRIGGER_TASK_AUDIENCE : [new URL('/tasks/trigger', config.TASK_HANDLER_URL).href];

/** Lease timings and record retention, from the LEAD_* variables (service and ops CLI alike). */
export const leadRecordStoreOptions = (
  config: Pick<
    LeadConfig,
    | 'FIRESTORE_COLLECTION'
    | 'LEAD_LEASE_SECONDS'
    | 'LEAD_COOLDOWN_SECONDS'
    | 'LEAD_AUTO_DELAY_SECONDS'
    | 'LEAD_FOLLOW_UP_WINDOW_SECONDS'
    | 'LEAD_RETENTION_DAYS'
    | 'FIRESTORE_DEADLINE_MS'
  >,
): FirestoreLeadRecordStoreOptions => ({
  collection: config.FIRESTORE_COLLECTION,
  deadlineMs: config.FIRESTORE_DEADLINE_MS,
  policy: leadPolicy(config),
});

/** The lead machine's timings (lease, cooldown, retention, the auto delay and the follow-up window). */
const leadPolicy = (
  config: Pick<
    LeadConfig,
    'LEAD_LEASE_SECONDS' | 'LEAD_COOLDOWN_SECONDS' | 'LEAD_RETENTION_DAYS' | 'LEAD_AUTO_DELAY_SECONDS' | 'LEAD_FOLLOW_UP_WINDOW_SECONDS'
  >,
): LeadPolicy => ({
  leaseMs: config.LEAD_LEASE_SECONDS * 1000,
  cooldownMs: config.LEAD_COOLDOWN_SECONDS * 1000,
  retentionMs: config.LEAD_RETENTION_DAYS * 86_400_000,
  autoDelayMs: config.LEAD_AUTO_DELAY_SECONDS * 1000,
  followUpWindowMs: config.LEAD_FOLLOW_UP_WINDOW_SECONDS * 1000,
});

/**
 * The session service's thread store, read-only here. `retentionMs` only applies to writes
 * (which this service never makes); the store's options require it.
 */
export const chatThreadStoreOptions = (
  config: Pick<LeadConfig, 'CHAT_THREADS_COLLECTION' | 'LEAD_RETENTION_DAYS' | 'FIRESTORE_DEADLINE_MS'>,
): FirestoreThreadStoreOptions => ({
  collection: config.CHAT_THREADS_COLLECTION,
  deadlineMs: config.FIRESTORE_DEADLINE_MS,
  retentionMs: config.LEAD_RETENTION_DAYS * 86_400_000,
});
