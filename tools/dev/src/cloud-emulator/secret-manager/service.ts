import type { UnaryHandlers } from '../grpc-server.js';
import { invalidArgument } from '../grpc-errors.js';
import { paginate } from '../paging.js';
import { toTimestamp } from '../proto-time.js';
import { compileFilter } from './filter.js';
import type { NewSecret, SecretRecord, SecretStore, SecretVersionRecord } from './store.js';

/** gRPC handlers of google.cloud.secretmanager.v1.SecretManagerService over a SecretStore. */

interface NameRequest {
  name?: string;
  etag?: string;
}
interface ListRequest {
  parent?: string;
  pageSize?: number;
  pageToken?: string;
  filter?: string;
}

const LIST_LIMITS = { defaultSize: 25_000, maxSize: 25_000 };

function secretToProto(secret: SecretRecord): Record<string, unknown> {
  return {
    name: secret.name,
    replication: secret.replication,
    createTime: toTimestamp(secret.createTimeMs),
    labels: secret.labels,
    annotations: secret.annotations,
    etag: secret.etag,
  };
}

function versionToProto(version: SecretVersionRecord): Record<string, unknown> {
  return {
    name: version.name,
    createTime: toTimestamp(version.createTimeMs),
    destroyTime: version.destroyTimeMs === undefined ? undefined : toTimestamp(version.destroyTimeMs),
    state: version.state,
    replicationStatus: { automatic: {} },
    etag: version.etag,
    clientSpecifiedPayloadChecksum: version.clientSpecifiedPayloadChecksum,
  };
}

export function secretManagerHandlers(store: SecretStore): UnaryHandlers {
  return {
    CreateSecret: (request: { parent?: string; secretId?: string; secret?: NewSecret }) =>
      secretToProto(store.createSecret(request.parent, request.secretId, request.secret)),

    GetSecret: (request: NameRequest) => secretToProto(store.getSecret(request.name)),

    ListSecrets: (request: ListRequest) => {
      const matches = compileFilter(request.filter);
      const all = store.listSecrets(request.parent).filter(matches);
      const page = paginate(all, request.pageSize, request.pageToken, LIST_LIMITS);
      return {
        secrets: page.items.map(secretToProto),
        nextPageToken: page.nextPageToken,
        totalSize: request.filter ? 0 : all.length,
      };
    },

    UpdateSecret: (request: { secret?: NewSecret & { name?: string; etag?: string }; updateMask?: { paths?: string[] } }) => {
      const paths = request.updateMask?.paths ?? [];
      if (!request.secret || paths.length === 0) throw invalidArgument('secret and update_mask must be set.');
      return secretToProto(store.updateSecret(request.secret.name, request.secret, paths, request.secret.etag));
    },

    DeleteSecret: (request: NameRequest) => {
      store.deleteSecret(request.name, request.etag);
      return {};
    },

    AddSecretVersion: (request: { parent?: string; payload?: { data?: Buffer; dataCrc32c?: string | null } }) => {
      if (!request.payload) throw invalidArgument('payload must be set.');
      return versionToProto(store.addVersion(request.parent, request.payload.data, request.payload.dataCrc32c));
    },

    GetSecretVersion: (request: NameRequest) => versionToProto(store.getVersion(request.name)),

    ListSecretVersions: (request: ListRequest) => {
      const matches = compileFilter(request.filter);
      const all = store.listVersions(request.parent).filter((version) => matches(version));
      const page = paginate(all, request.pageSize, request.pageToken, LIST_LIMITS);
      return {
        versions: page.items.map(versionToProto),
        nextPageToken: page.nextPageToken,
        totalSize: request.filter ? 0 : all.length,
      };
    },

    AccessSecretVersion: (request: NameRequest) => {
      const version = store.access(request.name);
      return { name: version.name, payload: { data: version.data, dataCrc32c: String(version.crc32c) } };
    },

    DisableSecretVersion: (request: NameRequest) => versionToProto(store.disable(request.name, request.etag)),
    EnableSecretVersion: (request: NameRequest) => versionToProto(store.enable(request.name, request.etag)),
    DestroySecretVersion: (request: NameRequest) => versionToProto(store.destroy(request.name, request.etag)),
  };
}
