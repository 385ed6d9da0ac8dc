import type { Clock } from '../clock.js';
import { crc32c } from '../crc32c.js';
import { aborted, alreadyExists, failedPrecondition, invalidArgument, notFound } from '../grpc-errors.js';
import { SECRET_ID, parseParent, parseSecretName, parseVersionName } from './names.js';

/** In-memory Secret Manager state and rules (errors chosen to match the real API). */

export type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

export interface SecretVersionRecord {
  name: string;
  number: number;
  state: VersionState;
  /** Dropped when the version is destroyed. */
  data: Buffer | undefined;
  crc32c: number;
  clientSpecifiedPayloadChecksum: boolean;
  createTimeMs: number;
  destroyTimeMs: number | undefined;
  etag: string;
}

export interface SecretRecord {
  name: string;
  createTimeMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Stored as sent (proto object form); echoed back on reads. */
  replication: unknown;
  versions: SecretVersionRecord[];
  etag: string;
}

export interface NewSecret {
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  replication?: unknown;
}

/** Real payloads are limited to 64 KiB. */
const MAX_PAYLOAD_BYTES = 64 * 1024;

export class SecretStore {
  private readonly secrets = new Map<string, SecretRecord>();
  private etagCounter = 0;

  constructor(private readonly clock: Clock) {}

  private nextEtag(): string {
    this.etagCounter += 1;
    return `"${this.clock.now().toString(16)}${this.etagCounter.toString(16).padStart(4, '0')}"`;
  }

  createSecret(parent: string | undefined, secretId: string | undefined, secret: NewSecret | undefined): SecretRecord {
    const parsed = parseParent(parent);
    if (!secretId || !SECRET_ID.test(secretId)) {
      throw invalidArgument(
        `Invalid secret_id "${secretId ?? ''}": must be 1-255 characters of letters, numbers, hyphens and underscores.`,
      );
    }
    if (!secret) throw invalidArgument('Secret must be set.');
    if (!parsed.regional && !secret.replication) {
      throw invalidArgument('Secret.replication must be set for a global secret.');
    }
    const name = `${parsed.parent}/secrets/${secretId}`;
    if (this.secrets.has(name)) throw alreadyExists(`Secret [${name}] already exists.`);
    const record: SecretRecord = {
      name,
      createTimeMs: this.clock.now(),
      labels: { ...(secret.labels ?? {}) },
      annotations: { ...(secret.annotations ?? {}) },
      replication: secret.replication ?? undefined,
      versions: [],
      etag: this.nextEtag(),
    };
    this.secrets.set(name, record);
    return record;
  }

  getSecret(name: string | undefined): SecretRecord {
    const parsed = parseSecretName(name);
    const record = this.secrets.get(parsed.name);
    if (!record) throw notFound(`Secret [${parsed.name}] not found.`);
    return record;
  }

  hasSecret(name: string): boolean {
    return this.secrets.has(name);
  }

  /** Newest first, like the real ListSecrets. */
  listSecrets(parent: string | undefined): SecretRecord[] {
    const parsed = parseParent(parent);
    return [...this.secrets.values()]
      .filter((secret) => parseSecretName(secret.name).parent === parsed.parent)
      .sort((a, b) => b.createTimeMs - a.createTimeMs || b.name.localeCompare(a.name));
  }

  allSecrets(): SecretRecord[] {
    return [...this.secrets.values()];
  }

  updateSecret(name: string | undefined, patch: NewSecret, paths: readonly string[], etag?: string): SecretRecord {
    const record = this.getSecret(name);
    checkEtag(etag, record.etag, record.name, 'Secret');
    for (const path of paths) {
      if (path === 'labels') record.labels = { ...(patch.labels ?? {}) };
      else if (path === 'annotations') record.annotations = { ...(patch.annotations ?? {}) };
      else throw invalidArgument(`update_mask path "${path}" is not supported by the emulator.`);
    }
    record.etag = this.nextEtag();
    return record;
  }

  deleteSecret(name: string | undefined, etag?: string): void {
    const record = this.getSecret(name);
    checkEtag(etag, record.etag, record.name, 'Secret');
    this.secrets.delete(record.name);
  }

  addVersion(parent: string | undefined, data: Buffer | undefined, checksum?: string | number | null): SecretVersionRecord {
    const secret = this.getSecret(parent);
    const bytes = data ?? Buffer.alloc(0);
    if (bytes.length > MAX_PAYLOAD_BYTES) {
      throw invalidArgument(`Secret payload is ${bytes.length} bytes; the maximum is ${MAX_PAYLOAD_BYTES} bytes.`);
    }
    const actual = crc32c(bytes);
    const clientSpecified = checksum !== undefined && checksum !== null;
    if (clientSpecified && Number(checksum) !== actual) {
      throw invalidArgument('Data integrity check failed: data_crc32c does not match the payload data.');
    }
    const number = (secret.versions.at(-1)?.number ?? 0) + 1;
    const version: SecretVersionRecord = {
      name: `${secret.name}/versions/${number}`,
      number,
      state: 'ENABLED',
      data: Buffer.from(bytes),
      crc32c: actual,
      clientSpecifiedPayloadChecksum: clientSpecified,
      createTimeMs: this.clock.now(),
      destroyTimeMs: undefined,
      etag: this.nextEtag(),
    };
    secret.versions.push(version);
    return version;
  }

  /** Resolves `latest` to the most recently created version, whatever its state (as the real API). */
  getVersion(name: string | undefined): SecretVersionRecord {
    const parsed = parseVersionName(name);
    const secret = this.secrets.get(parsed.secret);
    if (!secret) throw notFound(`Secret [${parsed.secret}] not found or has no versions.`);
    const version = parsed.version === 'latest' ? secret.versions.at(-1) : secret.versions.find((v) => v.number === parsed.version);
    if (!version) {
      if (parsed.version === 'latest') throw notFound(`Secret [${parsed.secret}] not found or has no versions.`);
      throw notFound(`Secret Version [${parsed.secret}/versions/${parsed.version}] not found.`);
    }
    return version;
  }

  /** Newest first, like the real ListSecretVersions. */
  listVersions(parent: string | undefined): SecretVersionRecord[] {
    return [...this.getSecret(parent).versions].reverse();
  }

  access(name: string | undefined): SecretVersionRecord & { data: Buffer } {
    const version = this.getVersion(name);
    if (version.state !== 'ENABLED' || !version.data) {
      throw failedPrecondition(`Secret Version [${version.name}] is in ${version.state} state.`);
    }
    return { ...version, data: version.data };
  }

  disable(name: string | undefined, etag?: string): SecretVersionRecord {
    return this.transition(name, 'DISABLED', etag);
  }

  enable(name: string | undefined, etag?: string): SecretVersionRecord {
    return this.transition(name, 'ENABLED', etag);
  }

  destroy(name: string | undefined, etag?: string): SecretVersionRecord {
    return this.transition(name, 'DESTROYED', etag);
  }

  private transition(name: string | undefined, target: VersionState, etag?: string): SecretVersionRecord {
    const version = this.getVersion(name);
    checkEtag(etag, version.etag, version.name, 'Secret Version');
    if (version.state === 'DESTROYED') {
      throw failedPrecondition(`Secret Version [${version.name}] is in DESTROYED state.`);
    }
    version.state = target;
    if (target === 'DESTROYED') {
      version.data = undefined;
      version.destroyTimeMs = this.clock.now();
    }
    version.etag = this.nextEtag();
    return version;
  }
}

function checkEtag(given: string | undefined, current: string, name: string, kind: string): void {
  if (given && given !== current) {
    throw aborted(`The etag provided for ${kind} [${name}] does not match the current etag.`);
  }
}
