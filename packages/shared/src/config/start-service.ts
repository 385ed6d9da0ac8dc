import type { Logger } from 'pino';
import { createLogger } from '../logging/logger.js';
import { createServiceSecrets, type SecretStore } from '../secrets/secret-store.js';
import { defaultShopProfilePath, loadShopProfile, type ShopProfile } from '../shop/profile.js';

/**
 * What every service starts with, in server.ts: its logger, its secrets (loaded once now; a
 * Secret Manager outage is a 503 until it answers, never a crash) and the shop profile (a bad one
 * fails the start with a message naming the field).
 */
export async function startService<K extends string>(options: {
  service: string;
  secretNames: readonly K[];
  config: Parameters<typeof createServiceSecrets>[0]['config'] & {
    LOG_LEVEL: string;
    K_REVISION?: string | undefined;
    SHOP_PROFILE_PATH?: string | undefined;
  };
}): Promise<{ logger: Logger; secrets: { store: SecretStore<K>; close(): Promise<void> }; shop: ShopProfile }> {
  const { config } = options;
  const logger = createLogger({ level: config.LOG_LEVEL, service: options.service, version: config.K_REVISION });
  const secrets = createServiceSecrets({ names: options.secretNames, config, logger });
  const shop = await loadShopProfile(config.SHOP_PROFILE_PATH ?? defaultShopProfilePath);
  await secrets.store.warmUp();
  return { logger, secrets, shop };
}
