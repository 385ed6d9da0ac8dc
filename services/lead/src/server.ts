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
import { loadConfig, queueName, triggerTaskAudiences } from './config.js';
import { buildAppDeps, createLeadClients } from './wiring.js';

runMain(async () => {
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'lead', version: config.K_REVISION });

  const secrets = createServiceSecrets({ names: ['OPENAI_API_KEY'] as const, config, logger });
  const clients = createLeadClients(config, secrets.store);
  const shop = await loadShopProfile(config.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  await secrets.store.warmUp();

  const app = createApp(buildAppDeps(config, clients, shop, logger));
  const running = await startServer(app, { port: config.PORT, logger, drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  logger.info(
    {
      port: running.port,
      shop: shop.name,
      queue: queueName(config),
      threads: config.CHAT_THREADS_COLLECTION,
      triggerAudiences: triggerTaskAudiences(config),
    },
    'lead service listening',
  );
  exitOnSignals(running, logger, async () => {
    await Promise.allSettled([clients.close(), secrets.close()]);
  });
});
