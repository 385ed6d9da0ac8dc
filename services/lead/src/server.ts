import OpenAI from 'openai';
import {
  createLogger,
  FirestoreThreadStore,
  createCloudTasksClient,
  createFirestoreClient,
  createServiceSecrets,
  defaultShopProfilePath,
  exitOnSignals,
  loadShopProfile,
  runMain,
  startServer,
} from '@lead-intake/shared';
import { CloudTasksScheduler } from './adapters/cloud-tasks-scheduler.js';
import { FirestoreLeadRecordStore } from './adapters/firestore-lead-record-store.js';
import { OidcVerifier } from './adapters/oidc-verifier.js';
import { OpenAISummarizer } from './adapters/openai-summarizer.js';
import { ThreadStoreReader } from './adapters/thread-store-reader.js';
import { createSesClient, SesMailer } from './adapters/ses-mailer.js';
import { createApp } from './app.js';
import { chatThreadStoreOptions, leadTaskAudience, leadRecordStoreOptions, loadConfig, queueName, triggerTaskAudiences } from './config.js';

runMain(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'lead', version: config.K_REVISION });

  // OpenAI writes the lead summary only; the threads are ours, in Firestore.
  const secrets = createServiceSecrets({ names: ['OPENAI_API_KEY'] as const, config, logger });
  const openai = new OpenAI({
    apiKey: async () => (await secrets.store.get()).OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL ?? null,
    timeout: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });

  const firestore = createFirestoreClient(config.GOOGLE_CLOUD_PROJECT);
  const tasksClient = createCloudTasksClient({ emulatorHost: config.CLOUD_TASKS_EMULATOR_HOST, projectId: config.GOOGLE_CLOUD_PROJECT });
  const ses = createSesClient({ region: config.SES_REGION, endpoint: config.SES_ENDPOINT });

  const shop = await loadShopProfile(config.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  await secrets.store.warmUp();

  const records = new FirestoreLeadRecordStore(firestore, leadRecordStoreOptions(config));
  // /tasks/lead and /tasks/trigger: the same tasks service account and token verification, each its own audience.
  const oidc = {
    serviceAccountEmail: config.TASK_SERVICE_ACCOUNT_EMAIL,
    certsUrl: config.OIDC_CERTS_URL,
    issuers: config.OIDC_ISSUERS?.split(',').map((issuer) => issuer.trim()).filter(Boolean),
  };
  const app = createApp({
    logger,
    projectId: config.GOOGLE_CLOUD_PROJECT,
    allowedOrigins: config.ALLOWED_ORIGINS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    records,
    tasks: new CloudTasksScheduler(tasksClient, {
      queue: queueName(config),
      handlerUrl: config.TASK_HANDLER_URL,
      serviceAccountEmail: config.TASK_SERVICE_ACCOUNT_EMAIL,
      audience: config.TASK_AUDIENCE,
      dispatchDeadlineSeconds: config.TASK_DISPATCH_DEADLINE_SECONDS,
    }),
    autoDelaySeconds: config.LEAD_AUTO_DELAY_SECONDS,
    safetyNetDelaySeconds: config.LEAD_SAFETY_NET_DELAY_SECONDS,
    threads: new ThreadStoreReader(new FirestoreThreadStore(firestore, chatThreadStoreOptions(config))),
    summarizer: new OpenAISummarizer(openai, config.LEAD_SUMMARY_MODEL),
    // Retries in-process only what proves SES took nothing (throttling, 5xx, unreachable).
    mailer: new SesMailer(ses, { attempts: 3 }),
    shop,
    mail: {
      from: config.LEAD_FROM_EMAIL,
      to: config.LEAD_TO_EMAIL,
      shopLanguage: config.SHOP_EMAIL_LANGUAGE,
      visitorRecap: config.VISITOR_RECAP_ENABLED,
      conversationUrlTemplate: config.CONVERSATION_URL_TEMPLATE,
    },
    verifier: new OidcVerifier({ ...oidc, audience: leadTaskAudience(config) }),
    triggerVerifier: new OidcVerifier({ ...oidc, audience: triggerTaskAudiences(config) }),
    taskMaxAttempts: config.TASK_MAX_ATTEMPTS,
  });

  const running = await startServer(app, { port: config.PORT, logger, drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  logger.info(
    { port: running.port, shop: shop.name, queue: queueName(config), threads: config.CHAT_THREADS_COLLECTION, triggerAudiences: triggerTaskAudiences(config) },
    'lead service listening',
  );
  exitOnSignals(running, logger, async () => {
    await Promise.allSettled([firestore.terminate(), tasksClient.close(), secrets.close()]);
    ses.destroy();
  });
});
