import OpenAI from 'openai';
import {
  createLogger,
  createSecretManagerClient,
  defaultShopProfilePath,
  exitOnSignals,
  loadShopProfile,
  SecretManagerSecretSource,
  secretResourceName,
  SecretStore,
  runMain,
  startServer,
} from '@lead-intake/shared';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { OpenAIChatKitSessions } from './openai-chatkit-sessions.js';

runMain(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'session', version: config.K_REVISION });

  const secretsSpec = {
    OPENAI_API_KEY: {
      envName: 'OPENAI_API_KEY',
      resourceName: secretResourceName(config.GOOGLE_CLOUD_PROJECT, 'OPENAI_API_KEY', config.OPENAI_API_KEY_SECRET),
    },
    CHATKIT_WORKFLOW_ID: {
      envName: 'CHATKIT_WORKFLOW_ID',
      resourceName: secretResourceName(config.GOOGLE_CLOUD_PROJECT, 'CHATKIT_WORKFLOW_ID', config.CHATKIT_WORKFLOW_ID_SECRET),
    },
  };
  const needsSecretManager = !config.OPENAI_API_KEY || !config.CHATKIT_WORKFLOW_ID;
  const secretManager = needsSecretManager
    ? createSecretManagerClient({ emulatorHost: config.SECRET_MANAGER_EMULATOR_HOST, projectId: config.GOOGLE_CLOUD_PROJECT })
    : undefined;
  const secrets = new SecretStore({
    secrets: secretsSpec,
    env: { OPENAI_API_KEY: config.OPENAI_API_KEY, CHATKIT_WORKFLOW_ID: config.CHATKIT_WORKFLOW_ID },
    source: secretManager && new SecretManagerSecretSource(secretManager),
    logger,
    ttlMs: config.SECRETS_TTL_SECONDS * 1000,
  });

  const openai = new OpenAI({
    apiKey: async () => (await secrets.get()).OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL ?? null,
    timeout: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });

  const shop = await loadShopProfile(config.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  await secrets.warmUp();

  const app = createApp({
    logger,
    projectId: config.GOOGLE_CLOUD_PROJECT,
    allowedOrigins: config.ALLOWED_ORIGINS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    sessions: new OpenAIChatKitSessions(openai),
    secrets,
    shop,
    now: () => new Date(),
  });

  const running = await startServer(app, { port: config.PORT, logger, drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  logger.info({ port: running.port, shop: shop.name, secretsFromSecretManager: secrets.remoteSecrets }, 'session service listening');
  exitOnSignals(running, logger, async () => {
    await secretManager?.close();
  });
});
