/**
 * Ops CLI: `npm run lead -- <command>`.
 *   status <threadId>                      lease state, attempts, last outcome, delivery (confirmed / unconfirmed)
 *   resend <threadId> [--reason text]      clear the sent state (audited) and schedule a task
 *   preview <threadId | file.json> [--json] [--html out.html] [--no-summary]
 * Reads the same environment variables as the service (see services/lead/.env.example).
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createFirestoreClient, createLogger, defaultShopProfilePath, loadShopProfile, parseConfig } from '@lead-intake/shared';
import { threadIdSchema } from '@lead-intake/shared/api';
import { ThreadNotFoundError } from '../domain/errors.js';
import { leadEnv } from '../config.js';
import { cloudTasksClient, leadRecordStore, openAIClient, summarizer, taskScheduler, threadReader } from '../wiring.js';
import { triggerLead } from '../use-cases/trigger-lead.js';
import { previewLead } from './preview.js';
import { statusView } from './status-view.js';

const USAGE = `Usage: npm run lead -- <command>
  status <threadId>
  resend <threadId> [--reason "why"]
  preview <threadId | file.json> [--json] [--html out.html] [--no-summary]`;

/** The service's own variables and defaults, limited to what status and preview need. */
const cliEnv = z.object({
  GOOGLE_CLOUD_PROJECT: leadEnv.GOOGLE_CLOUD_PROJECT,
  FIRESTORE_COLLECTION: leadEnv.FIRESTORE_COLLECTION,
  CHAT_THREADS_COLLECTION: leadEnv.CHAT_THREADS_COLLECTION,
  LEAD_LEASE_SECONDS: leadEnv.LEAD_LEASE_SECONDS,
  LEAD_AUTO_DELAY_SECONDS: leadEnv.LEAD_AUTO_DELAY_SECONDS,
  LEAD_FOLLOW_UP_WINDOW_SECONDS: leadEnv.LEAD_FOLLOW_UP_WINDOW_SECONDS,
  LEAD_COOLDOWN_SECONDS: leadEnv.LEAD_COOLDOWN_SECONDS,
  LEAD_RETENTION_DAYS: leadEnv.LEAD_RETENTION_DAYS,
  FIRESTORE_DEADLINE_MS: leadEnv.FIRESTORE_DEADLINE_MS,
  OPENAI_API_KEY: leadEnv.OPENAI_API_KEY,
  OPENAI_BASE_URL: leadEnv.OPENAI_BASE_URL,
  OPENAI_TIMEOUT_MS: leadEnv.OPENAI_TIMEOUT_MS,
  OPENAI_MAX_RETRIES: leadEnv.OPENAI_MAX_RETRIES,
  LEAD_SUMMARY_MODEL: leadEnv.LEAD_SUMMARY_MODEL,
  SHOP_PROFILE_PATH: leadEnv.SHOP_PROFILE_PATH,
  SHOP_EMAIL_LANGUAGE: leadEnv.SHOP_EMAIL_LANGUAGE,
});

/** What resend needs on top: where the new task goes and how it reaches the service (not the mail settings). */
const resendEnv = cliEnv.extend({
  CLOUD_TASKS_QUEUE: leadEnv.CLOUD_TASKS_QUEUE,
  CLOUD_TASKS_LOCATION: leadEnv.CLOUD_TASKS_LOCATION,
  CLOUD_TASKS_EMULATOR_HOST: leadEnv.CLOUD_TASKS_EMULATOR_HOST,
  CLOUD_TASKS_DEADLINE_MS: leadEnv.CLOUD_TASKS_DEADLINE_MS,
  TASK_HANDLER_URL: leadEnv.TASK_HANDLER_URL,
  TASK_SERVICE_ACCOUNT_EMAIL: leadEnv.TASK_SERVICE_ACCOUNT_EMAIL,
  TASK_AUDIENCE: leadEnv.TASK_AUDIENCE,
  TASK_DISPATCH_DEADLINE_SECONDS: leadEnv.TASK_DISPATCH_DEADLINE_SECONDS,
  LEAD_SAFETY_NET_DELAY_SECONDS: leadEnv.LEAD_SAFETY_NET_DELAY_SECONDS,
});

function recordStore(env: z.output<typeof cliEnv>) {
  const firestore = createFirestoreClient(env.GOOGLE_CLOUD_PROJECT);
  return { firestore, store: leadRecordStore(firestore, env) };
}

async function status(threadId: string): Promise<number> {
  const env = parseConfig(cliEnv, process.env, 'lead CLI');
  const { firestore, store } = recordStore(env);
  try {
    const record = await store.get(threadId);
    if (!record) {
      console.log(`${threadId}: no record (no trigger has reached the server for this thread)`);
      return 1;
    }
    console.log(JSON.stringify(statusView(record, Date.now()), null, 2));
    return 0;
  } finally {
    await firestore.terminate();
  }
}

async function resend(threadId: string, reason: string): Promise<number> {
  const config = parseConfig(resendEnv, process.env, 'lead CLI resend');
  const { firestore, store } = recordStore(config);
  const tasksClient = cloudTasksClient(config);
  try {
    const cleared = await store.apply(threadId, { type: 'resend', by: userInfo().username, reason });
    if (!cleared.result.found) {
      console.error(`${threadId}: no record; nothing to resend`);
      return 1;
    }
    const answer = await triggerLead(
      {
        records: store,
        threads: threadReader(firestore, config),
        tasks: taskScheduler(tasksClient, config),
        safetyNetDelaySeconds: config.LEAD_SAFETY_NET_DELAY_SECONDS,
        newLeaseId: randomUUID,
      },
      { threadId, reason: 'resend' },
      createLogger({ level: 'warn', service: 'lead-cli' }),
    );
    if (answer.reason !== 'queued') {
      console.error(`${threadId}: could not take the lease (${answer.reason})`);
      return 1;
    }
    console.log(`${threadId}: sent state cleared (audited) and a resend task scheduled`);
    return 0;
  } finally {
    await Promise.allSettled([firestore.terminate(), tasksClient.close()]);
  }
}

async function preview(target: string, options: { json: boolean; html?: string | undefined; noSummary: boolean }): Promise<number> {
  const env = parseConfig(cliEnv, process.env, 'lead CLI');
  const shop = await loadShopProfile(env.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  const isThread = threadIdSchema.safeParse(target).success;
  if (!options.noSummary && !env.OPENAI_API_KEY) {
    console.error('Set OPENAI_API_KEY (and OPENAI_BASE_URL for the local stand-in) for the summary, or pass --no-summary.');
    return 2;
  }
  const openai = options.noSummary || !env.OPENAI_API_KEY ? null : openAIClient(env, env.OPENAI_API_KEY);
  // A thread id is read from our thread store in Firestore (FIRESTORE_EMULATOR_HOST for the local one).
  const firestore = isThread ? createFirestoreClient(env.GOOGLE_CLOUD_PROJECT) : null;
  let result;
  try {
    result = await previewLead({
      source: firestore ? { threadId: target, reader: threadReader(firestore, env) } : { file: target },
      shop,
      summarizer: openai ? summarizer(openai, env) : null,
      shopLanguage: env.SHOP_EMAIL_LANGUAGE,
    });
  } catch (error) {
    if (!(error instanceof ThreadNotFoundError)) throw error;
    console.error(
      `${target}: no such thread in the "${env.CHAT_THREADS_COLLECTION}" collection${env.GOOGLE_CLOUD_PROJECT ? ` of ${env.GOOGLE_CLOUD_PROJECT}` : ''}.`,
    );
    return 1;
  } finally {
    await firestore?.terminate();
  }
  if (options.html) await writeFile(options.html, result.email.html);
  if (options.json) {
    const { email, ...rest } = result;
    console.log(JSON.stringify({ ...rest, email: { subject: email.subject, replyTo: email.replyTo, text: email.text } }, null, 2));
  } else {
    console.log(`Thread:   ${result.threadId}`);
    console.log(`Emails:   ${result.contact.emails.join(', ') || '(none)'}`);
    console.log(`Phones:   ${result.contact.phones.join(', ') || '(none)'}`);
    console.log(`Gate:     ${result.gate}`);
    console.log(`Sends on: auto → ${result.wouldSend.auto ?? 'depends on the summary'}, idle → ${result.wouldSend.idle}`);
    console.log(`Subject:  ${result.email.subject}`);
    console.log(`Reply-To: ${result.email.replyTo ?? '(none)'}`);
    if (options.html) console.log(`HTML:     ${options.html}`);
    console.log(`\n${result.email.text}`);
  }
  return 0;
}

/** npm runs workspace scripts in the workspace folder; paths are meant relative to where the user typed. */
const fromUserCwd = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      'no-summary': { type: 'boolean', default: false },
      reason: { type: 'string', default: 'manual resend' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!target) {
    console.error(`${command} needs a thread id${command === 'preview' ? ' or a file' : ''}.\n\n${USAGE}`);
    return 2;
  }
  if (command !== 'preview' && !threadIdSchema.safeParse(target).success) {
    console.error(`"${target}" is not a ChatKit thread id (cthr_…).`);
    return 2;
  }
  switch (command) {
    case 'status':
      return status(target);
    case 'resend':
      return resend(target, values.reason);
    case 'preview':
      return preview(threadIdSchema.safeParse(target).success ? target : fromUserCwd(target), {
        json: values.json,
        html: values.html === undefined ? undefined : fromUserCwd(values.html),
        noSummary: values['no-summary'],
      });
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
