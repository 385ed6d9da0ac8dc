import { ApiError } from '../grpc-errors.js';
import { resolveSecretName } from './names.js';
import type { SecretSeeds } from './seed-sources.js';
import type { SecretStore, VersionState } from './store.js';

/** Programmatic access for tests and the dev runner: seed, flip version states, inspect (no values). */

export interface SecretVersionSummary {
  version: number;
  state: VersionState;
  createTime: string;
}

export interface SecretSummary {
  name: string;
  createTime: string;
  labels: Record<string, string>;
  versions: SecretVersionSummary[];
}

export interface SecretHelpers {
  /** Adds a version with `value` (creating the secret first if needed); returns the version name. */
  set(nameOrId: string, value: string | Uint8Array): string;
  /** `version` defaults to `latest`. */
  disable(nameOrId: string, version?: number | 'latest'): void;
  enable(nameOrId: string, version?: number | 'latest'): void;
  destroy(nameOrId: string, version?: number | 'latest'): void;
  /** The payload as UTF-8, subject to the same rules as AccessSecretVersion. */
  access(nameOrId: string, version?: number | 'latest'): string;
  /** Names, labels and version states: never payloads. */
  list(): SecretSummary[];
}

export function createSecretHelpers(store: SecretStore, projectId: string): SecretHelpers {
  const versionName = (nameOrId: string, version: number | 'latest' = 'latest'): string =>
    `${resolveSecretName(nameOrId, projectId)}/versions/${version}`;
  return {
    set(nameOrId, value) {
      const name = resolveSecretName(nameOrId, projectId);
      if (!store.hasSecret(name)) {
        const slash = name.lastIndexOf('/secrets/');
        store.createSecret(name.slice(0, slash), name.slice(slash + '/secrets/'.length), {
          replication: { automatic: {} },
        });
      }
      return store.addVersion(name, Buffer.from(value)).name;
    },
    disable: (nameOrId, version) => void store.disable(versionName(nameOrId, version)),
    enable: (nameOrId, version) => void store.enable(versionName(nameOrId, version)),
    destroy: (nameOrId, version) => void store.destroy(versionName(nameOrId, version)),
    access: (nameOrId, version) => store.access(versionName(nameOrId, version)).data.toString('utf8'),
    list: () =>
      store
        .allSecrets()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((secret) => ({
          name: secret.name,
          createTime: new Date(secret.createTimeMs).toISOString(),
          labels: { ...secret.labels },
          versions: secret.versions.map((v) => ({
            version: v.number,
            state: v.state,
            createTime: new Date(v.createTimeMs).toISOString(),
          })),
        })),
  };
}

export function applySecretSeeds(helpers: SecretHelpers, seeds: SecretSeeds): void {
  for (const [nameOrId, value] of Object.entries(seeds)) {
    const values = typeof value === 'string' ? [value] : value;
    try {
      for (const payload of values) helpers.set(nameOrId, payload);
    } catch (error) {
      if (error instanceof ApiError) throw new Error(`cannot seed secret "${nameOrId}": ${error.message}`);
      throw error;
    }
  }
}
