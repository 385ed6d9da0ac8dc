import { createScaledClock } from './clock.js';
import type { Clock } from './clock.js';
import { startGrpcServer, toGrpcImplementation } from './grpc-server.js';
import { listen } from './http-server.js';
import { createInspectApp } from './http-inspect.js';
import { loadEmulatorProtos } from './protos.js';
import { applySecretSeeds, createSecretHelpers } from './secret-manager/helpers.js';
import type { SecretHelpers } from './secret-manager/helpers.js';
import { loadSecretsFile } from './secret-manager/seed-sources.js';
import type { SecretSeeds } from './secret-manager/seed-sources.js';
import { secretManagerHandlers } from './secret-manager/service.js';
import { SecretStore } from './secret-manager/store.js';

export type { Clock } from './clock.js';
export { createScaledClock } from './clock.js';
export type { SecretHelpers, SecretSummary, SecretVersionSummary } from './secret-manager/helpers.js';
export type { SecretSeeds } from './secret-manager/seed-sources.js';
export { loadSecretsFile, secretsFromEnv } from './secret-manager/seed-sources.js';

export interface CloudEmulatorOptions {
  /** Interface for both servers. Default `127.0.0.1`. */
  host?: string;
  /** gRPC port (Cloud Tasks + Secret Manager). 0 (default) picks a free port. */
  grpcPort?: number;
  /** HTTP port (inspection pages, OIDC certs). 0 (default) picks a free port. */
  httpPort?: number;
  /** Project used for short secret names. Default `local-project`. */
  projectId?: string;
  /** Secrets created at start: `{ "id" | "projects/p/secrets/id": value | [v1, v2, …] }`. */
  seedSecrets?: SecretSeeds;
  /** JSON file with the same shape as `seedSecrets` (applied before `seedSecrets`). */
  secretsFile?: string;
  /** Emulated time runs this many times faster than real time (tests). Default 1. */
  timeScale?: number;
  /** Full control over time; overrides `timeScale`. */
  clock?: Clock;
}

export interface CloudEmulator {
  grpcEndpoint: { host: string; port: number };
  httpUrl: string;
  projectId: string;
  clock: Clock;
  secrets: SecretHelpers;
  close(): Promise<void>;
}

export const DEFAULT_PROJECT_ID = 'local-project';

export async function startCloudEmulator(options: CloudEmulatorOptions = {}): Promise<CloudEmulator> {
  const host = options.host ?? '127.0.0.1';
  const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
  const clock = options.clock ?? createScaledClock(options.timeScale ?? 1);

  const secretStore = new SecretStore(clock);
  const secrets = createSecretHelpers(secretStore, projectId);
  if (options.secretsFile) applySecretSeeds(secrets, loadSecretsFile(options.secretsFile));
  if (options.seedSecrets) applySecretSeeds(secrets, options.seedSecrets);

  const protos = loadEmulatorProtos();
  const grpcServer = await startGrpcServer(host, options.grpcPort ?? 0, [
    { definition: protos.secretManager, implementation: toGrpcImplementation(secretManagerHandlers(secretStore)) },
  ]);
  let httpServer;
  try {
    httpServer = await listen(createInspectApp({ projectId, secrets }), host, options.httpPort ?? 0);
  } catch (error) {
    await grpcServer.close();
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    grpcEndpoint: { host, port: grpcServer.port },
    httpUrl: httpServer.url,
    projectId,
    clock,
    secrets,
    close() {
      closed ??= Promise.all([grpcServer.close(), httpServer.close()]).then(() => undefined);
      return closed;
    },
  };
}

export type { EmulatorClientOptions } from './client-options.js';
export { emulatorClientOptions } from './client-options.js';
