import * as grpc from '@grpc/grpc-js';

/**
 * Constructor options that point an official Google Cloud client (CloudTasksClient,
 * SecretManagerServiceClient) at the emulator:
 *
 *   new CloudTasksClient(emulatorClientOptions(emulator))
 *
 * - `sslCreds` must be a ChannelCredentials of the *same* @grpc/grpc-js copy that google-gax
 *   loads (grpc-js checks with instanceof). This tree has a single hoisted @grpc/grpc-js, so
 *   `@grpc/grpc-js` works; if versions ever diverge, use `import { grpc } from 'google-gax'`.
 *   Passing `sslCreds` also makes gax skip Google auth entirely.
 * - `universeDomain` stops google-auth-library from probing the GCE metadata server for the
 *   universe domain when no credentials exist (otherwise: MetadataLookupWarning and a delay).
 */
// A type alias (not an interface) so it is assignable to gax's index-signature ClientOptions.
export type EmulatorClientOptions = {
  apiEndpoint: string;
  port: number;
  sslCreds: grpc.ChannelCredentials;
  projectId: string;
  universeDomain: string;
};

export function emulatorClientOptions(target: { grpcEndpoint: { host: string; port: number }; projectId: string }): EmulatorClientOptions {
  return {
    apiEndpoint: target.grpcEndpoint.host,
    port: target.grpcEndpoint.port,
    sslCreds: grpc.credentials.createInsecure(),
    projectId: target.projectId,
    universeDomain: 'googleapis.com',
  };
}
