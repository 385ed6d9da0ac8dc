import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { grpc } from 'google-gax';
import { DEFAULT_DEADLINE_MS, gaxDeadline, withDeadline } from '../gcp/deadline.js';
import type { SecretSource } from './secret-source.js';

/** Adapter: Google Secret Manager through its official client; each read gives up at its deadline. */
export class SecretManagerSecretSource implements SecretSource {
  private readonly deadlineMs: number;

  constructor(
    private readonly client: SecretManagerServiceClient,
    options: { deadlineMs?: number | undefined } = {},
  ) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  }

  async access(resourceName: string): Promise<string> {
    const [version] = await withDeadline('Secret Manager', this.deadlineMs, () =>
      this.client.accessSecretVersion({ name: resourceName }, gaxDeadline(this.deadlineMs)),
    );
    const data = version.payload?.data;
    if (data === undefined || data === null) throw new Error(`secret version ${resourceName} has no payload`);
    return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  }
}

/**
 * The Secret Manager client: production credentials by default, or the local emulator when
 * `SECRET_MANAGER_EMULATOR_HOST` (`host:port`) is set (see docs/local-cloud.md).
 */
export function createSecretManagerClient(options: {
  emulatorHost?: string | undefined;
  projectId?: string | undefined;
}): SecretManagerServiceClient {
  if (!options.emulatorHost) return new SecretManagerServiceClient(options.projectId ? { projectId: options.projectId } : {});
  return new SecretManagerServiceClient(emulatorClientOptions(options.emulatorHost, options.projectId));
}

/** The project the local emulators use when none is configured. */
export const LOCAL_PROJECT_ID = 'local-project';

/**
 * Options that point an official gRPC Google Cloud client at a local emulator (`host:port`):
 * plaintext, no Google auth, no metadata-server probe.
 */
export function emulatorClientOptions(hostPort: string, projectId: string | undefined) {
  const { host, port } = splitHostPort(hostPort);
  return {
    apiEndpoint: host,
    port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: projectId ?? LOCAL_PROJECT_ID,
    // Without credentials, the auth library would otherwise probe the GCE metadata server.
    universeDomain: 'googleapis.com',
  };
}

export function splitHostPort(value: string): { host: string; port: number } {
  const match = value.match(/^\[?([^\]]+?)\]?:(\d+)$/);
  if (!match?.[1] || !match[2]) throw new Error(`"${value}" is not host:port`);
  return { host: match[1], port: Number(match[2]) };
}
