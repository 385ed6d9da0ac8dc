import type { z } from 'zod';
import {
  intFromEnv,
  logLevelFromEnv,
  optionalString,
  originListFromEnv,
  trustProxyFromEnv,
} from './parse-config.js';

/** Variables every HTTP service reads; each service's schema extends this. */
export const commonServiceEnv = {
  PORT: intFromEnv(8080, 1, 65535),
  LOG_LEVEL: logLevelFromEnv(),
  /** Cloud Run sets K_REVISION; shown in logs. */
  K_REVISION: optionalString(),
  GOOGLE_CLOUD_PROJECT: optionalString(),
  ALLOWED_ORIGINS: originListFromEnv(),
  RATE_LIMIT_PER_MINUTE: intFromEnv(10, 1, 100_000),
  TRUST_PROXY: trustProxyFromEnv(2),
  /** Max time a SIGTERM drain waits for in-flight requests (Cloud Run allows 10 s). */
  SHUTDOWN_TIMEOUT_MS: intFromEnv(8000, 0, 60_000),
} satisfies z.ZodRawShape;
