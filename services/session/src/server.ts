import OpenAI from 'openai';
import {
  createLogger,
  createServiceSecrets,
  defaultShopProfilePath,
  exitOnSignals,
  loadShopProfile,
  runMain,
  startServer,
} from '@lead-intake/shared';
import { createApp } from './app.js';
import { loadConfig } from './config.js';
import { OpenAIChatKitSessions } from './openai-chatkit-sessions.js';

runMain(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'session', version: config.K_REVISION });

  const secrets = createServiceSecrets({ names: ['OPENAI_API_KEY', 'CHATKIT_WORKFLOW_ID'] as const, config, logger });

  const openai = new OpenAI({
    apiKey: async () => (await secrets.store.get()).OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL ?? null,
    timeout: config.OPENAI_TIMEOUT_MS,
    maxRetries: config.OPENAI_MAX_RETRIES,
  });

  const shop = await loadShopProfile(config.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  await secrets.store.warmUp();

  const app = createApp({
    logger,
    projectId: config.GOOGLE_CLOUD_PROJECT,
    allowedOrigins: config.ALLOWED_ORIGINS,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    trustProxy: config.TRUST_PROXY,
    sessions: new OpenAIChatKitSessions(openai),
    secrets: secrets.store,
    shop,
    now: () => new Date(),
  });

  const running = await startServer(app, { port: config.PORT, logger, drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  logger.info({ port: running.port, shop: shop.name, secretsFromSecretManager: secrets.store.remoteSecrets }, 'session service listening');
  exitOnSignals(running, logger, secrets.close);
});
