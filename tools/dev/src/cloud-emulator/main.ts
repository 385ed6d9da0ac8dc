import { USAGE, parseCliArgs } from './cli-args.js';
import type { CliResult } from './cli-args.js';
import { startCloudEmulator } from './index.js';
import { secretsFromEnv } from './secret-manager/seed-sources.js';

/** `npm run emulator:cloud -- --port 8123 --http-port 8124 [--secrets-file f] [--project p]` */

let parsed: CliResult;
try {
  parsed = parseCliArgs(process.argv.slice(2));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

const options = { ...parsed.options, seedSecrets: secretsFromEnv(process.env) };
const emulator = await startCloudEmulator(options).catch((error: unknown) => {
  console.error(`cloud emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

const grpcTarget = `${emulator.grpcEndpoint.host}:${emulator.grpcEndpoint.port}`;
console.log(`Cloud emulator (Cloud Tasks v2 + Secret Manager v1) for project ${emulator.projectId}
  gRPC      ${grpcTarget}
  inspect   ${emulator.httpUrl}/   (${emulator.httpUrl}/tasks.json, ${emulator.httpUrl}/secrets.json)
  OIDC      iss=${emulator.oidc.issuer}
            PEM  ${emulator.oidc.pemCertsUrl}
            JWKS ${emulator.oidc.jwksUrl}
  queues    ${
    emulator.tasks
      .queues()
      .map((q) => q.name)
      .join(', ') || '(none; create with CreateQueue or --queue)'
  }
  secrets   ${
    emulator.secrets
      .list()
      .map((s) => s.name)
      .join(', ') || '(none)'
  }

Env hints for services:
  CLOUD_TASKS_EMULATOR_HOST=${grpcTarget}
  SECRET_MANAGER_EMULATOR_HOST=${grpcTarget}
  GOOGLE_CLOUD_PROJECT=${emulator.projectId}
  OIDC_CERTS_URL=${emulator.oidc.pemCertsUrl}
  OIDC_JWKS_URL=${emulator.oidc.jwksUrl}
  OIDC_ISSUER=${emulator.oidc.issuer}
Clients: new CloudTasksClient({ apiEndpoint: '${emulator.grpcEndpoint.host}', port: ${emulator.grpcEndpoint.port}, sslCreds: grpc.credentials.createInsecure(), projectId: '${emulator.projectId}', universeDomain: 'googleapis.com' })`);

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping cloud emulator`);
  emulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
