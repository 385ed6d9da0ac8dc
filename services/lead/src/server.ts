import { exitOnSignals, runMain, startServer, startService } from '@lead-intake/shared';
import { createApp } from './app.js';
import { loadConfig, queueName, triggerTaskAudiences } from './config.js';
import { buildAppDeps, createLeadClients } from './wiring.js';

runMain(async () => {
  const config = loadConfig(process.env);
  const { logger, secrets, shop } = await startService({ service: 'lead', secretNames: ['OPENAI_API_KEY'] as const, config });
  const clients = createLeadClients(config, secrets.store);

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
