import { parseArgs } from 'node:util';
import type { CloudEmulatorOptions } from './index.js';

/** Command line of `npm run emulator:cloud -- …` (pure, so it can be tested). */

export const DEFAULT_GRPC_PORT = 8123;
export const DEFAULT_HTTP_PORT = 8124;

export const USAGE = `Usage: npm run emulator:cloud -- [options]

  --port <n>            gRPC port for Cloud Tasks v2 + Secret Manager v1 (default ${DEFAULT_GRPC_PORT}, 0 = random)
  --http-port <n>       HTTP port for the inspection page and OIDC certs (default ${DEFAULT_HTTP_PORT}, 0 = random)
  --host <addr>         interface to bind (default 127.0.0.1)
  --project <id>        default project for short secret/queue names (default local-project)
  --location <id>       default location for short queue names (default us-central1)
  --secrets-file <f>    JSON {"id" | "projects/p/secrets/id": "value" | ["v1", "v2"]}
  --queue <name>        create a queue at start (short id or full name); repeatable
  --oidc-issuer <iss>   "iss" of OIDC tokens attached to HTTP tasks (default https://accounts.google.com)
  --time-scale <x>      run emulated time x times faster (default 1)
  -h, --help            show this help

Secrets are also seeded from CLOUD_EMULATOR_SECRET_<ID>=value and CLOUD_EMULATOR_SECRETS_JSON='{"id":"value"}'.`;

export type CliResult = { help: true } | { help: false; options: CloudEmulatorOptions };

function port(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new Error(`${flag} must be a port number, got "${value}"`);
  return parsed;
}

export function parseCliArgs(argv: readonly string[]): CliResult {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string' },
      project: { type: 'string' },
      location: { type: 'string' },
      'secrets-file': { type: 'string' },
      queue: { type: 'string', multiple: true },
      'oidc-issuer': { type: 'string' },
      'time-scale': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true };
  const timeScale = values['time-scale'] === undefined ? undefined : Number(values['time-scale']);
  if (timeScale !== undefined && !(timeScale > 0)) throw new Error(`--time-scale must be a positive number`);
  const options: CloudEmulatorOptions = {
    grpcPort: port(values.port, '--port', DEFAULT_GRPC_PORT),
    httpPort: port(values['http-port'], '--http-port', DEFAULT_HTTP_PORT),
  };
  if (values.host !== undefined) options.host = values.host;
  if (values.project !== undefined) options.projectId = values.project;
  if (values.location !== undefined) options.location = values.location;
  if (values['secrets-file'] !== undefined) options.secretsFile = values['secrets-file'];
  if (values.queue !== undefined) options.queues = values.queue;
  if (values['oidc-issuer'] !== undefined) options.oidcIssuer = values['oidc-issuer'];
  if (timeScale !== undefined) options.timeScale = timeScale;
  return { help: false, options };
}
