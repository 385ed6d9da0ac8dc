/**
 * A local Firestore for tests and `npm run dev`.
 *
 * Preference order:
 *  1. The Firebase emulator suite's Firestore emulator (the reference implementation), run straight
 *     from its jar, but only when it can run right now: Java >= 21 on PATH and the jar already
 *     cached (`~/.cache/firebase/emulators`, or `$FIREBASE_EMULATORS_PATH`). Nothing is ever
 *     downloaded and detection never touches the network.
 *  2. `@firestore-emulator/server`, in-process: the same gRPC API, but NO isolation between
 *     concurrent transactions (see docs/local-cloud.md). `isolatesTransactions` says which.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FirestoreServer, FirestoreState } from '@firestore-emulator/server';
import { freePort } from '../net/free-port.js';
import { guardStandIn } from './stand-in-guard.js';

export type FirestoreKind = 'firebase-emulator' | 'firestore-emulator-server';

export interface StartFirestoreOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Project the real emulator runs in single-project mode for. Default `local-project`. */
  projectId?: string;
  /** Try the Firebase emulator first when it can run. Default true. */
  preferReal?: boolean;
  /** How long the real emulator may take to answer before falling back. Default 30 s. */
  startTimeoutMs?: number;
}

export interface LocalFirestore {
  kind: FirestoreKind;
  host: string;
  port: number;
  /** `host:port`, the value for `FIRESTORE_EMULATOR_HOST`. */
  hostPort: string;
  projectId: string;
  /** True when concurrent transactions are isolated like production (real emulator only). */
  isolatesTransactions: boolean;
  /** Why the Firebase emulator was not used (stand-in only). */
  reason?: string;
  /**
   * HTTP base URL serving the Firebase emulator's admin route
   * `DELETE {adminUrl}/emulator/v1/projects/{project}/databases/(default)/documents` (the real
   * emulator serves it on its own port; the stand-in gets a tiny HTTP server beside its gRPC port).
   * Lets test workers reset a project without a handle on this object: `resetFirestoreProject()`.
   */
  adminUrl: string;
  /**
   * Deletes documents: those of `projectId` when given; otherwise every project on the stand-in
   * and `this.projectId` on the real emulator.
   */
  reset(projectId?: string): Promise<void>;
  /** Stops the server. Idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_FIRESTORE_PROJECT_ID = 'local-project';
const MIN_JAVA = 21;

/** Environment that points `@google-cloud/firestore` (and firebase-admin) at a local Firestore. */
export function firestoreEmulatorHostEnv(firestore: Pick<LocalFirestore, 'hostPort'>): {
  FIRESTORE_EMULATOR_HOST: string;
} {
  return { FIRESTORE_EMULATOR_HOST: firestore.hostPort };
}

/** Deletes every document of `projectId` through the emulator's HTTP admin route. */
export async function resetFirestoreProject(adminUrl: string, projectId: string): Promise<void> {
  const response = await fetch(`${adminUrl}/emulator/v1/projects/${encodeURIComponent(projectId)}/databases/(default)/documents`, {
    method: 'DELETE',
  });
  if (!response.ok) throw new Error(`Firestore reset of ${projectId} failed: HTTP ${response.status}`);
}

export async function startFirestore(opts: StartFirestoreOptions = {}): Promise<LocalFirestore> {
  const host = opts.host ?? '127.0.0.1';
  const projectId = opts.projectId ?? DEFAULT_FIRESTORE_PROJECT_ID;
  const port = opts.port ?? 0;

  let reason: string;
  if (opts.preferReal === false) {
    reason = 'preferReal: false';
  } else {
    const detected = detectFirebaseEmulator();
    if (detected.ok) {
      try {
        return await startFirebaseEmulator({
          java: detected.java,
          jar: detected.jar,
          host,
          port,
          projectId,
          timeoutMs: opts.startTimeoutMs ?? 30_000,
        });
      } catch (error) {
        reason = `the Firebase Firestore emulator (${detected.jar}) failed to start: ${errorMessage(error)}`;
      }
    } else {
      reason = detected.reason;
    }
  }
  return startStandIn({ host, port, projectId, reason });
}

export type FirebaseEmulatorDetection = { ok: true; java: string; jar: string } | { ok: false; reason: string };

/** Whether the Firebase Firestore emulator can run here, without any network access. */
export function detectFirebaseEmulator(env: NodeJS.ProcessEnv = process.env): FirebaseEmulatorDetection {
  const problems: string[] = [];
  const java = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
  const major = javaMajorVersion(java);
  if (major === undefined) problems.push(`no runnable Java (${java}); the Firebase Firestore emulator needs Java ${MIN_JAVA}+`);
  else if (major < MIN_JAVA) problems.push(`Java ${major} found; the Firebase Firestore emulator needs Java ${MIN_JAVA}+`);

  const dir = env.FIREBASE_EMULATORS_PATH ?? join(homedir(), '.cache', 'firebase', 'emulators');
  const jar = newestFirestoreJar(dir);
  if (!jar) problems.push(`no cached Firestore emulator jar in ${dir} (\`firebase setup:emulators:firestore\` downloads it)`);

  if (problems.length > 0 || !jar) return { ok: false, reason: problems.join('; ') };
  return { ok: true, java, jar };
}

function javaMajorVersion(java: string): number | undefined {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 5_000 });
  if (result.error || result.status !== 0) return undefined;
  // `openjdk version "17.0.15" …` or, before Java 9, `java version "1.8.0_392"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}

function newestFirestoreJar(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const jars = names
    .map((name) => ({ name, version: /^cloud-firestore-emulator-v(\d+)\.(\d+)\.(\d+)\.jar$/.exec(name) }))
    .filter((entry): entry is { name: string; version: RegExpExecArray } => entry.version !== null)
    .map(({ name, version }) => ({ name, key: [1, 2, 3].map((i) => Number(version[i])) }))
    .sort((a, b) => compareVersions(b.key, a.key));
  const newest = jars[0];
  return newest ? join(dir, newest.name) : undefined;
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

async function startFirebaseEmulator(args: {
  java: string;
  jar: string;
  host: string;
  port: number;
  projectId: string;
  timeoutMs: number;
}): Promise<LocalFirestore> {
  const port = args.port === 0 ? await freePort(args.host) : args.port;
  // The arguments firebase-tools passes (`firebase emulators:start --only firestore`).
  const child = spawn(
    args.java,
    [
      '-Duser.language=en',
      '-jar',
      args.jar,
      '--host',
      args.host,
      '--port',
      String(port),
      '--project_id',
      args.projectId,
      // Not single-project mode: tests may isolate themselves with a project id of their own.
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const outputDone = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const hostPort = formatHostPort(args.host, port);
  const baseUrl = `http://${hostPort}`;
  try {
    await waitUntilReady(child, baseUrl, args.timeoutMs);
  } catch (error) {
    await stopChild(child);
    process.off('exit', killOnExit);
    // Output can still arrive after 'exit'; 'close' means the pipes are drained.
    await Promise.race([outputDone, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    const tail = output.trim().split('\n').slice(-5).join(' | ');
    throw new Error(`${errorMessage(error)}${tail ? ` (output: ${tail})` : ''}`);
  }

  let closed: Promise<void> | undefined;
  return {
    kind: 'firebase-emulator',
    host: args.host,
    port,
    hostPort,
    projectId: args.projectId,
    isolatesTransactions: true,
    adminUrl: baseUrl,
    reset(projectId) {
      return resetFirestoreProject(baseUrl, projectId ?? args.projectId);
    },
    close() {
      closed ??= stopChild(child).finally(() => process.off('exit', killOnExit));
      return closed;
    },
  };
}

async function waitUntilReady(child: ChildProcess, baseUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`exited with ${child.signalCode ?? `code ${child.exitCode}`}`);
    }
    try {
      const response = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no answer on ${baseUrl} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The subset of grpc-js's Server the stand-in wraps (its own copy of @grpc/grpc-js). */
interface GrpcServerLike {
  bindAsync(address: string, credentials: unknown, callback: (error: Error | null, port: number) => void): void;
}

async function startStandIn(args: { host: string; port: number; projectId: string; reason: string }): Promise<LocalFirestore> {
  replaceOnSetWithoutMask();
  const server = new FirestoreServer();
  guardStandIn((server as unknown as { server?: unknown }).server);
  const port = await bindStandIn(server, args.host, args.port);
  let admin: Server;
  try {
    admin = await startAdminServer(server, args.host);
  } catch (error) {
    server.stop();
    throw error;
  }
  const adminAddress = admin.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    kind: 'firestore-emulator-server',
    host: args.host,
    port,
    hostPort: formatHostPort(args.host, port),
    projectId: args.projectId,
    isolatesTransactions: false,
    reason: args.reason,
    adminUrl: `http://${formatHostPort(args.host, adminAddress.port)}`,
    reset(projectId) {
      if (projectId === undefined) server.state.clear();
      else clearStandInProject(server, projectId);
      return Promise.resolve();
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.stop();
        admin.close(() => resolve());
        admin.closeAllConnections();
      });
      return closed;
    },
  };
}

/**
 * Firestore's `set()` without `merge` replaces the whole document; the stand-in keeps fields the
 * new document no longer has (it merges every write). Fixed where writes are applied: a plain
 * set (an update without a mask or precondition) starts from an empty document. Idempotent; if
 * the internals change, left as is.
 */
function replaceOnSetWithoutMask(): void {
  interface WriteLike {
    has_update?: boolean;
    has_update_mask?: boolean;
    update_mask?: unknown;
    has_current_document?: boolean;
    update?: { name?: string };
  }
  type WriteFn = ((date: unknown, write: WriteLike) => unknown) & { replaces?: true };
  const proto = FirestoreState.prototype as unknown as {
    writeV1Document?: WriteFn;
    getDocument?: (path: string) => { metadata: { hasExist: boolean }; fields: unknown };
  };
  const original = proto.writeV1Document;
  if (typeof original !== 'function' || original.replaces || typeof proto.getDocument !== 'function') return;
  const replacing: WriteFn = function (this: typeof proto, date, write) {
    const masked = write.has_update_mask ?? write.update_mask != null;
    if (write.has_update && !masked && !write.has_current_document && write.update?.name && this.getDocument) {
      const document = this.getDocument(write.update.name);
      if (document.metadata.hasExist) document.fields = {};
    }
    return original.call(this, date, write);
  };
  replacing.replaces = true;
  proto.writeV1Document = replacing;
}

/** The real emulator's document-reset route, for the stand-in (which has no HTTP of its own). */
function startAdminServer(server: FirestoreServer, host: string): Promise<Server> {
  const resetRoute = /^\/emulator\/v1\/projects\/([^/]+)\/databases\/[^/]+\/documents\/?$/;
  const admin = createHttpServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    const match = resetRoute.exec(path);
    if (request.method === 'DELETE' && match?.[1]) {
      clearStandInProject(server, decodeURIComponent(match[1]));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else if (request.method === 'GET' && path === '/') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('Ok\n');
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
    }
  });
  return new Promise((resolve, reject) => {
    admin.once('error', reject);
    admin.listen(0, host, () => resolve(admin));
  });
}

/**
 * Drops one project's data. FirestoreState keeps projects in a (frozen) record it reads through
 * `this.projects` every time, so replacing the record without the key is enough; if that
 * internal ever changes, clear everything rather than nothing.
 */
function clearStandInProject(server: FirestoreServer, projectId: string): void {
  const holder = server.state as unknown as { projects?: Record<string, unknown> };
  if (holder.projects && typeof holder.projects === 'object') {
    const rest = { ...holder.projects };
    delete rest[projectId];
    holder.projects = rest;
  } else {
    server.state.clear();
  }
}

/**
 * `FirestoreServer.start(port)` binds 0.0.0.0 and does not report the port, so bind its gRPC
 * server ourselves on the requested interface (port 0 → the OS picks). If the package ever
 * changes its internals, fall back to `start()` on a port probed free beforehand.
 */
async function bindStandIn(server: FirestoreServer, host: string, port: number): Promise<number> {
  const grpcServer = (server as unknown as { server?: Partial<GrpcServerLike> }).server;
  if (grpcServer && typeof grpcServer.bindAsync === 'function') {
    const credentials = insecureServerCredentials();
    return new Promise((resolve, reject) => {
      grpcServer.bindAsync?.(`${formatHostPort(host, port)}`, credentials, (error, boundPort) => {
        if (error) reject(error);
        else resolve(boundPort);
      });
    });
  }
  const chosen = port === 0 ? await freePort(host) : port;
  await server.start(chosen);
  return chosen;
}

/** ServerCredentials from the same @grpc/grpc-js copy the stand-in uses (instanceof checks). */
function insecureServerCredentials(): unknown {
  const requireFromStandIn = createRequire(createRequire(import.meta.url).resolve('@firestore-emulator/server'));
  const grpc = requireFromStandIn('@grpc/grpc-js') as { ServerCredentials: { createInsecure(): unknown } };
  return grpc.ServerCredentials.createInsecure();
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
