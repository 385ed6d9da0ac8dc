import type { Logger } from 'pino';
import { unavailableError, type AppError } from '../errors/app-error.js';
import { createSecretManagerClient, SecretManagerSecretSource } from './secret-manager-source.js';
import type { SecretSource } from './secret-source.js';

export interface SecretSpec {
  /** The environment variable that overrides the secret (local dev). */
  envName: string;
  /** Full version resource name in Secret Manager. */
  resourceName: string;
}

export interface SecretStoreOptions<K extends string> {
  secrets: Record<K, SecretSpec>;
  env: Record<string, string | undefined>;
  source: SecretSource | undefined;
  logger: Logger;
  /** How long a value read from Secret Manager is used before it is read again. */
  ttlMs: number;
  /** After a failed load, requests fail fast for this long instead of hammering Secret Manager. */
  retryAfterFailureMs?: number;
  now?: () => number;
}

/**
 * Secrets from the environment when set, otherwise from Secret Manager, cached with a TTL.
 * A secret that cannot be read makes requests fail with 503 `unavailable` (the service stays up
 * and recovers by itself) instead of crashing into a restart loop.
 */
export class SecretStore<K extends string> {
  private values: Partial<Record<K, string>> = {};
  private loadedAt = -Infinity;
  private failedAt = -Infinity;
  private inflight: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly remote: K[];

  constructor(private readonly options: SecretStoreOptions<K>) {
    this.now = options.now ?? Date.now;
    this.remote = [];
    for (const key of Object.keys(options.secrets) as K[]) {
      const fromEnv = options.env[options.secrets[key].envName];
      if (fromEnv) this.values[key] = fromEnv;
      else this.remote.push(key);
    }
  }

  /** Names of the secrets read from Secret Manager (the rest come from the environment). */
  get remoteSecrets(): readonly K[] {
    return this.remote;
  }

  /** Loads the remote secrets at startup; never throws. */
  async warmUp(): Promise<boolean> {
    // Every secret came from the environment: nothing to read, nothing to report.
    if (this.remote.length === 0) return true;
    try {
      await this.refresh();
      return true;
    } catch {
      return false;
    }
  }

  async get(): Promise<Record<K, string>> {
    if (this.remote.length === 0) return this.values as Record<K, string>;
    const age = this.now() - this.loadedAt;
    if (this.isComplete() && age < this.options.ttlMs) return this.values as Record<K, string>;
    if (this.isComplete()) {
      // Stale but usable: serve it and refresh in the background.
      void this.refresh().catch(() => undefined);
      return this.values as Record<K, string>;
    }
    if (this.now() - this.failedAt < (this.options.retryAfterFailureMs ?? 5000) && !this.inflight) {
      throw unavailable();
    }
    try {
      await this.refresh();
    } catch (error) {
      throw unavailable(error);
    }
    return this.values as Record<K, string>;
  }

  private isComplete(): boolean {
    return Object.keys(this.options.secrets).every((key) => Boolean(this.values[key as K]));
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    const { source, logger, secrets } = this.options;
    if (!source) {
      this.failedAt = this.now();
      logger.error({ secrets: this.remote.map((key) => secrets[key].envName) }, 'secrets are not set and no Secret Manager is configured');
      throw new Error('no secret source');
    }
    try {
      const loaded = await Promise.all(
        this.remote.map(async (key) => [key, (await source.access(secrets[key].resourceName)).trim()] as const),
      );
      for (const [key, value] of loaded) {
        if (!value) throw new Error(`secret ${secrets[key].resourceName} is empty`);
        this.values[key] = value;
      }
      this.loadedAt = this.now();
      logger.info({ secrets: this.remote.map((key) => secrets[key].resourceName) }, 'secrets loaded from Secret Manager');
    } catch (error) {
      this.failedAt = this.now();
      logger.error(
        { err: describeError(error), secrets: this.remote.map((key) => secrets[key].resourceName) },
        'cannot read secrets from Secret Manager; requests answer 503 until it recovers',
      );
      throw error;
    }
  }
}

const unavailable = (cause?: unknown): AppError =>
  unavailableError('The service is temporarily unavailable. Please try again shortly.', cause);

/** Error summary for logs without payloads: gRPC code and message only. */
function describeError(error: unknown): { message: string; code?: unknown } {
  if (error instanceof Error) return { message: error.message, code: (error as { code?: unknown }).code };
  return { message: String(error) };
}

/** `projects/<project>/secrets/<name>/versions/latest`, or the configured full name. */
export function secretResourceName(project: string | undefined, name: string, override: string | undefined): string {
  if (override) return override;
  return `projects/${project ?? 'unknown-project'}/secrets/${name}/versions/latest`;
}

/**
 * The secrets a service needs, wired as every service does it: each `NAME` from the environment
 * when set, else from Secret Manager (`NAME_SECRET` overrides the version name).
 */
export function createServiceSecrets<K extends string>(options: {
  names: readonly K[];
  /** The service's parsed config: NAME, NAME_SECRET, GOOGLE_CLOUD_PROJECT, SECRET_MANAGER_EMULATOR_HOST, SECRETS_TTL_SECONDS. */
  config: {
    GOOGLE_CLOUD_PROJECT?: string | undefined;
    SECRET_MANAGER_EMULATOR_HOST?: string | undefined;
    SECRETS_TTL_SECONDS: number;
    SECRET_MANAGER_DEADLINE_MS?: number | undefined;
  };
  logger: Logger;
  retryAfterFailureMs?: number;
}): { store: SecretStore<K>; close(): Promise<void> } {
  const projectId = options.config.GOOGLE_CLOUD_PROJECT;
  const read = (key: string): string | undefined => {
    const value = (options.config as Record<string, unknown>)[key];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const secrets = {} as Record<K, SecretSpec>;
  const env: Record<string, string | undefined> = {};
  for (const name of options.names) {
    secrets[name] = { envName: name, resourceName: secretResourceName(projectId, name, read(`${name}_SECRET`)) };
    env[name] = read(name);
  }
  const client = options.names.every((name) => env[name])
    ? undefined
    : createSecretManagerClient({ emulatorHost: options.config.SECRET_MANAGER_EMULATOR_HOST, projectId });
  const store = new SecretStore({
    secrets,
    env,
    source: client && new SecretManagerSecretSource(client, { deadlineMs: options.config.SECRET_MANAGER_DEADLINE_MS }),
    logger: options.logger,
    ttlMs: options.config.SECRETS_TTL_SECONDS * 1000,
    ...(options.retryAfterFailureMs !== undefined ? { retryAfterFailureMs: options.retryAfterFailureMs } : {}),
  });
  return { store, close: async () => client?.close() };
}
