import { setTracingDisabled } from '@openai/agents';
import { ConfigError, exitOnSignals, runMain, startServer, startService } from '@lead-intake/shared';
import { createApp } from './app.js';
import { loadConfig, secretNames } from './config.js';
import { buildAppDeps, createSessionClients, visitorKeys } from './wiring.js';

/** What an interrupted stream needs to save its partial reply and send its last event. */
const STREAM_WRAP_UP_MS = 2_500;

runMain(async () => {
  const config = loadConfig(process.env);
  // Agents SDK traces would send conversation text to OpenAI's trace store; the thread store is ours.
  setTracingDisabled(true);
  const { logger, secrets, shop } = await startService({ service: 'session', secretNames, config });
  try {
    await visitorKeys(secrets.store)(); // a malformed key fails here, not at the first visitor
  } catch (error) {
    // Unreachable Secret Manager is the store's to report (503 until it answers); a bad key is fatal.
    if (error instanceof ConfigError) throw error;
  }

  const clients = createSessionClients(config, secrets.store);
  const deps = buildAppDeps(config, clients, shop, secrets.store, logger);
  const running = await startServer(createApp(deps), {
    port: config.PORT,
    logger,
    drainTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Streams get the drain minus a wrap-up to finish; the rest end with a retryable error event,
    // their partial reply saved, before the drain runs out (Cloud Run kills 10 s after SIGTERM).
    onShutdown: (drainMs) => setTimeout(() => deps.chat.interruptStreams(), Math.max(0, drainMs - STREAM_WRAP_UP_MS)).unref(),
  });
  logger.info({ port: running.port, shop: shop.name, secretsFromSecretManager: secrets.store.remoteSecrets }, 'session service listening');
  exitOnSignals(running, logger, async () => {
    await clients.close();
    await secrets.close();
  });
});
