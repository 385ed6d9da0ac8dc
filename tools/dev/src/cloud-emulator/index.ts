import { createScaledClock } from './clock.js';
import type { Clock } from './clock.js';
import { startGrpcServer, toGrpcImplementation } from './grpc-server.js';
import type { StartedGrpcServer } from './grpc-server.js';
import { createInspectApp } from './http-inspect.js';
import { listen } from './http-server.js';
import { DEFAULT_OIDC_ISSUER, mintIdToken } from './oidc/id-token.js';
import { createSigningKey } from './oidc/signing-key.js';
import { loadEmulatorProtos } from './protos.js';
import { applySecretSeeds, createSecretHelpers } from './secret-manager/helpers.js';
import type { SecretHelpers } from './secret-manager/helpers.js';
import { loadSecretsFile } from './secret-manager/seed-sources.js';
import type { SecretSeeds } from './secret-manager/seed-sources.js';
import { secretManagerHandlers } from './secret-manager/service.js';
import { SecretStore } from './secret-manager/store.js';
import { Dispatcher } from './tasks/dispatcher.js';
import { createTaskHelpers } from './tasks/helpers.js';
import type { TaskHelpers } from './tasks/helpers.js';
import { sendHttpRequest } from './tasks/http-dispatch.js';
import type { TaskRecord } from './tasks/model.js';
import { CloudTasksOperations } from './tasks/operations.js';
import type { QueueInput } from './tasks/queue-config.js';
import { TaskRegistry } from './tasks/registry.js';
import { cloudTasksHandlers } from './tasks/service.js';

export type { Clock } from './clock.js';
export { createScaledClock } from './clock.js';
export type { EmulatorClientOptions } from './client-options.js';
export { emulatorClientOptions } from './client-options.js';
export { DEFAULT_OIDC_ISSUER } from './oidc/id-token.js';
export type { SecretHelpers, SecretSummary, SecretVersionSummary } from './secret-manager/helpers.js';
export type { SecretSeeds } from './secret-manager/seed-sources.js';
export { loadSecretsFile, secretsFromEnv } from './secret-manager/seed-sources.js';
export type { RetryPolicy } from './tasks/backoff.js';
export { mayRetry, retryDelayMs } from './tasks/backoff.js';
export type { AttemptSnapshot, QueueSnapshot, TaskHelpers, TaskSnapshot } from './tasks/helpers.js';
export type { QueueInput } from './tasks/queue-config.js';

export interface CloudEmulatorOptions {
  /** Interface for both servers. Default `127.0.0.1`. */
  host?: string;
  /** gRPC port (Cloud Tasks v2 + Secret Manager v1). 0 (default) picks a free port. */
  grpcPort?: number;
  /** HTTP port (inspection pages, OIDC certs). 0 (default) picks a free port. */
  httpPort?: number;
  /** Project for short secret/queue names. Default `local-project`. */
  projectId?: string;
  /** Location for short queue names. Default `us-central1`. */
  location?: string;
  /** Secrets created at start: `{ "id" | "projects/p/secrets/id": value | [v1, v2, …] }`. */
  seedSecrets?: SecretSeeds;
  /** JSON file with the same shape as `seedSecrets` (applied before `seedSecrets`). */
  secretsFile?: string;
  /** Queues created at start: short ids / full names, or `{ name, retryConfig, rateLimits }`. */
  queues?: ReadonlyArray<string | (QueueInput & { name: string })>;
  /** A finished or deleted task's name cannot be reused for this long (emulated ms). Default 1 h. */
  dedupeWindowMs?: number;
  /** A deleted queue's name cannot be reused for this long (emulated ms). Default 7 days, like the real service; 0 disables. */
  queueNameReuseWindowMs?: number;
  /** Finished tasks kept for inspection. Default 1000. */
  historyLimit?: number;
  /** `iss` of OIDC tokens. Default `https://accounts.google.com`. */
  oidcIssuer?: string;
  /** Emulated time runs this many times faster than real time (tests). Default 1. */
  timeScale?: number;
  /** Full control over time; overrides `timeScale`. */
  clock?: Clock;
}

export interface CloudEmulator {
  grpcEndpoint: { host: string; port: number };
  httpUrl: string;
  projectId: string;
  location: string;
  /** Emulated time; all task/secret timestamps use it. */
  clock: Clock;
  oidc: {
    issuer: string;
    /** PEM certificates keyed by kid (`oauth2FederatedSignonPemCertsUrl`). */
    pemCertsUrl: string;
    /** JWKS (`oauth2FederatedSignonJwkCertsUrl`). */
    jwksUrl: string;
  };
  secrets: SecretHelpers;
  tasks: TaskHelpers;
  close(): Promise<void>;
}

export const DEFAULT_PROJECT_ID = 'local-project';
export const DEFAULT_LOCATION = 'us-central1';

export async function startCloudEmulator(options: CloudEmulatorOptions = {}): Promise<CloudEmulator> {
  const host = options.host ?? '127.0.0.1';
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const location = options.location ?? DEFAULT_LOCATION;
  const issuer = options.oidcIssuer ?? DEFAULT_OIDC_ISSUER;
  const clock = options.clock ?? createScaledClock(options.timeScale ?? 1);

  // Secret Manager
  const secretStore = new SecretStore(clock);
  const secrets = createSecretHelpers(secretStore, projectId);
  if (options.secretsFile) applySecretSeeds(secrets, loadSecretsFile(options.secretsFile));
  if (options.seedSecrets) applySecretSeeds(secrets, options.seedSecrets);

  // Cloud Tasks
  // RSA key generation takes ~100-300 ms: run it in the background, await it only where needed.
  const signingKey = createSigningKey();
  signingKey.catch(() => undefined);
  const registry = new TaskRegistry(clock, {
    dedupeWindowMs: options.dedupeWindowMs ?? 3600_000,
    queueNameReuseWindowMs: options.queueNameReuseWindowMs ?? 7 * 24 * 3600_000,
    historyLimit: options.historyLimit ?? 1000,
  });
  const authorizationFor = async (task: TaskRecord): Promise<string | undefined> => {
    const { oidcToken, oauthToken, url } = task.http;
    if (oidcToken) {
      // Real wall-clock time: verifiers check iat/exp against their own clock, not the emulated one.
      const token = mintIdToken(await signingKey, {
        issuer,
        audience: oidcToken.audience ?? url,
        serviceAccountEmail: oidcToken.serviceAccountEmail,
        nowMs: Date.now(),
      });
      return `Bearer ${token}`;
    }
    if (oauthToken) return `Bearer emulator-oauth-access-token.${Buffer.from(oauthToken.serviceAccountEmail).toString('base64url')}`;
    return undefined;
  };
  const dispatcher = new Dispatcher({ clock, registry, send: sendHttpRequest, authorizationFor });
  const operations = new CloudTasksOperations(clock, registry, dispatcher);
  const tasks = createTaskHelpers({ registry, operations, clock, projectId, location });
  for (const queue of options.queues ?? []) {
    if (typeof queue === 'string') tasks.ensureQueue(queue);
    else tasks.ensureQueue(queue.name, queue);
  }

  // Servers
  const protos = loadEmulatorProtos();
  let grpcServer: StartedGrpcServer | undefined;
  try {
    grpcServer = await startGrpcServer(host, options.grpcPort ?? 0, [
      { definition: protos.secretManager, implementation: toGrpcImplementation(secretManagerHandlers(secretStore)) },
      { definition: protos.cloudTasks, implementation: toGrpcImplementation(cloudTasksHandlers(operations)) },
    ]);
    const httpServer = await listen(createInspectApp({ projectId, issuer, secrets, tasks, signingKey }), host, options.httpPort ?? 0);
    const started = grpcServer;
    let closed: Promise<void> | undefined;
    return {
      grpcEndpoint: { host, port: started.port },
      httpUrl: httpServer.url,
      projectId,
      location,
      clock,
      oidc: { issuer, pemCertsUrl: `${httpServer.url}/oauth2/v1/certs`, jwksUrl: `${httpServer.url}/oauth2/v3/certs` },
      secrets,
      tasks,
      close() {
        closed ??= dispatcher
          .close()
          .then(() => Promise.all([started.close(), httpServer.close()]))
          .then(() => undefined);
        return closed;
      },
    };
  } catch (error) {
    await dispatcher.close();
    await grpcServer?.close();
    throw error;
  }
}
