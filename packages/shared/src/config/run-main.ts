import { ShopProfileError } from '../shop/profile.js';
import { ConfigError } from './parse-config.js';

/**
 * Runs a service entry point. Configuration mistakes print one readable message and exit 1
 * (no stack trace to dig through in Cloud Run's logs); anything else is reported as a crash.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message =
      error instanceof ConfigError || error instanceof ShopProfileError
        ? error.message
        : `Fatal error during startup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    process.stderr.write(`${JSON.stringify({ severity: 'CRITICAL', message })}\n`);
    process.exit(1);
  });
}
