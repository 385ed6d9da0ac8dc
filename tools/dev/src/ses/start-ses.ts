/**
 * Local Amazon SES: `aws-ses-v2-local` (SES v1 SendEmail / SendRawEmail and the v2 API, a web
 * viewer at `/`, the received mail as JSON at `GET /store`), run in-process on a free port.
 *
 * Point `@aws-sdk/client-ses` at it with `endpoint` (the services read `SES_ENDPOINT`), any
 * region and dummy credentials (`sesClientConfig()` builds that).
 *
 * Fault injection (throttling, 5xx, a lost reply...) for the sending actions: `faults.ts`,
 * driven with `LocalSes.faults` in-process or `POST /__ses/faults` from anywhere
 * (`injectSesFaults(endpoint, ...)`); see `fault-layer.ts`.
 *
 * Caveat: aws-ses-v2-local keeps its mailbox in module state, so every server started in the same
 * process shares one store (and `clear()` empties it for all of them). One per test run is the
 * intended use.
 */
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { formatHostPort } from '../firestore/start-firestore.js';
import { faultLayer } from './fault-layer.js';
import { SesFaultRegistry, type ActiveSesFault, type SesFaultSpec } from './faults.js';

export type { ActiveSesFault, SesFaultKind, SesFaultSpec } from './faults.js';

export interface StartSesOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
}

/** One message as `GET /store` reports it. */
export interface SesStoredEmail {
  messageId: string;
  /** As sent: `a@b.c` for SendEmail, the parsed header text (`Name <a@b.c>`) for raw mail. */
  from: string;
  replyTo: string[];
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  attachments: Array<{ content: string; contentType: string; filename?: string; size: number }>;
  /** SendRawEmail only: the message's top-level headers (kept by our front door). */
  headers?: Array<{ name: string; value: string }>;
  /** Epoch seconds. */
  at: number;
  /**
   * Epoch ms (with a fractional part) at which SES answered with the message id: set by our front
   * door for the v1 SendEmail / SendRawEmail, absent for the v2 API.
   */
  acceptedAtMs?: number;
}

export interface LocalSes {
  /** `http://127.0.0.1:<port>`: the SES client's `endpoint` (`SES_ENDPOINT`). */
  endpoint: string;
  /** The web viewer (same server). */
  viewerUrl: string;
  /** Every message received so far, oldest first. */
  store(): Promise<SesStoredEmail[]>;
  /** This server's faults (the same registry `/__ses/faults` drives). */
  faults: SesFaultRegistry;
  /** Empties the mailbox. */
  clear(): Promise<void>;
  /** Stops the server. Idempotent. */
  close(): Promise<void>;
}

/** SES client settings for a local endpoint (works for `SESClient` and `SESv2Client`). */
export function sesClientConfig(endpoint: string): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return { endpoint, region: 'us-west-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<Server>;

export async function startSes(opts: StartSesOptions = {}): Promise<LocalSes> {
  const host = opts.host ?? '127.0.0.1';
  const server = await loadServerFactory()({ host, port: opts.port ?? 0 });
  // Express 5 calls the listen callback on errors too (e.g. EADDRINUSE): then nothing listens.
  const address = server.address() as AddressInfo | null;
  if (!address) {
    server.close();
    throw new Error(`aws-ses-v2-local could not listen on ${formatHostPort(host, opts.port ?? 0)}`);
  }
  const port = address.port;
  const endpoint = `http://${formatHostPort(host, port)}`;
  const faults = new SesFaultRegistry();
  // aws-ses-v2-local's Express app stays the handler, behind the control and fault routes.
  const [inner] = server.listeners('request') as RequestListener[];
  if (!inner) {
    server.close();
    throw new Error('aws-ses-v2-local: its server has no request handler to wrap');
  }
  server.removeAllListeners('request');
  server.on('request', faultLayer(inner, faults));

  let closed: Promise<void> | undefined;
  return {
    endpoint,
    viewerUrl: `${endpoint}/`,
    store: () => readStore(endpoint),
    faults,
    clear: () => clearStore(endpoint),
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/** Reads `GET /store` of any aws-ses-v2-local (also one started by another process). */
export async function readStore(endpoint: string): Promise<SesStoredEmail[]> {
  const response = await fetch(`${endpoint}/store`);
  if (!response.ok) throw new Error(`SES store read failed: HTTP ${response.status}`);
  const body = (await response.json()) as { emails?: unknown };
  if (!Array.isArray(body.emails)) throw new Error('SES store: unexpected response shape (no `emails` array)');
  return body.emails as SesStoredEmail[];
}

/** Empties the mailbox of any aws-ses-v2-local (`POST /clear-store`). */
export async function clearStore(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  if (!response.ok) throw new Error(`SES clear-store failed: HTTP ${response.status}`);
}

/** Registers faults on any local SES (`POST /__ses/faults`), e.g. one a test-env globalSetup started. */
export async function injectSesFaults(endpoint: string, ...specs: SesFaultSpec[]): Promise<ActiveSesFault[]> {
  const response = await fetch(`${endpoint}/__ses/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(specs),
  });
  const body = (await response.json()) as { data?: ActiveSesFault[]; error?: { message: string } };
  if (response.status !== 201 || !body.data)
    throw new Error(`SES fault injection failed: HTTP ${response.status} ${body.error?.message ?? ''}`);
  return body.data;
}

/** The faults still active on any local SES (`GET /__ses/faults`). */
export async function listSesFaults(endpoint: string): Promise<ActiveSesFault[]> {
  const response = await fetch(`${endpoint}/__ses/faults`);
  if (!response.ok) throw new Error(`SES fault list failed: HTTP ${response.status}`);
  return ((await response.json()) as { data: ActiveSesFault[] }).data;
}

/** Removes every fault of any local SES (`DELETE /__ses/faults`). */
export async function clearSesFaults(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/__ses/faults`, { method: 'DELETE' });
  if (response.status !== 204) throw new Error(`SES fault clear failed: HTTP ${response.status}`);
}

/** The package is CommonJS with `exports.default = server`. */
function loadServerFactory(): StartServer {
  const mod = createRequire(import.meta.url)('aws-ses-v2-local') as { default?: unknown };
  if (typeof mod.default !== 'function') throw new Error('aws-ses-v2-local: no default export to start a server with');
  return mod.default as StartServer;
}
