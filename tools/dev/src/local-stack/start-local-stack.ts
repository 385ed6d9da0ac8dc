/**
 * The whole product on this machine: every cloud dependency replaced by its local stand-in, and
 * both services started from their real entry points (`src/server.ts`), configured only through
 * environment variables as Cloud Run would. Used by `npm run dev` and `npm run bench`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startCloudEmulator } from '../cloud-emulator/index.js';
import { seedFixturesIntoLocalFirestore } from '../fixtures/local-firestore.js';
import { startFirestore } from '../firestore/start-firestore.js';
import { startOpenAIStub } from '../openai-stub/server.js';
import { freePort } from '../net/free-port.js';
import { startSes } from '../ses/start-ses.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

export interface LocalStackPorts {
  session: number;
  lead: number;
  firestore: number;
  ses: number;
  openai: number;
  cloudGrpc: number;
  cloudHttp: number;
}

export interface LocalStackOptions {
  /** 0 = a free port. */
  ports: LocalStackPorts;
  projectId?: string;
  /** Origins the services accept browser calls from. */
  allowedOrigins: string[];
  /** Extra environment for both services (overrides the defaults below). */
  serviceEnv?: Record<string, string>;
  /** Where service output goes: 'inherit' (dev) or 'ignore' (bench). */
  serviceOutput?: 'inherit' | 'ignore';
  /** Called when a service exits on its own. */
  onServiceExit?: (name: string, code: number | null, signal: NodeJS.Signals | null) => void;
}

export interface LocalStack {
  urls: { session: string; lead: string; openai: string; sesViewer: string; cloudInspect: string };
  cloudGrpc: string;
  firestore: { hostPort: string; kind: string; reason?: string | undefined };
  projectId: string;
  /** Process ids of the services (the benchmark reads their CPU time). */
  pids: Record<string, number | undefined>;
  /** Resolves once both services answer /health. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const orFree = async (port: number) => (port === 0 ? freePort() : port);

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const projectId = options.projectId ?? 'local-project';
  const closers: Array<() => Promise<void>> = [];
  const children: Array<{ name: string; child: ChildProcess }> = [];
  let stopping = false;

  const stop = async () => {
    stopping = true;
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await Promise.allSettled(closers.reverse().map((close) => close()));
  };

  try {
    const openai = await startOpenAIStub({ port: options.ports.openai });
    closers.push(() => openai.close());
    const cloud = await startCloudEmulator({
      projectId,
      // The services' default CLOUD_TASKS_LOCATION, so a short queue id (the ops CLI's) names the same queue.
      location: 'us-west1',
      grpcPort: options.ports.cloudGrpc,
      httpPort: options.ports.cloudHttp,
      // The services read these from (local) Secret Manager exactly as in production.
      seedSecrets: {
        OPENAI_API_KEY: options.serviceEnv?.OPENAI_API_KEY || 'sk-local-dev-key',
        // A fresh visitor-token signing key per run (tokens are short-lived; the widget refreshes).
        VISITOR_TOKEN_KEYS: options.serviceEnv?.VISITOR_TOKEN_KEYS || `dev:${randomBytes(32).toString('base64url')}`,
      },
    });
    closers.push(() => cloud.close());
    const firestore = await startFirestore({ port: options.ports.firestore, projectId });
    closers.push(() => firestore.close());
    // The conversation fixtures as ChatKit threads (cthr_fixture_<name>, owner anon_fixture_owner) in the thread store.
    await seedFixturesIntoLocalFirestore({ hostPort: firestore.hostPort, projectId });
    const ses = await startSes({ port: options.ports.ses });
    closers.push(() => ses.close());
    const queue = cloud.tasks.ensureQueue(`projects/${projectId}/locations/${cloud.location}/queues/lead-evaluations`, {
      retryConfig: { maxAttempts: 8, minBackoff: { seconds: 1 }, maxBackoff: { seconds: 60 }, maxDoublings: 4 },
    });
    // The session service's server-side `auto` triggers (decision 0008).
    const triggerQueue = cloud.tasks.ensureQueue(`projects/${projectId}/locations/${cloud.location}/queues/lead-triggers`, {
      retryConfig: { maxAttempts: 20, minBackoff: { seconds: 1 }, maxBackoff: { seconds: 30 }, maxDoublings: 4 },
    });
    const cloudGrpc = `${cloud.grpcEndpoint.host}:${cloud.grpcEndpoint.port}`;
    const taskServiceAccount = `lead-tasks@${projectId}.iam.gserviceaccount.com`;
    const sessionPort = await orFree(options.ports.session);
    const leadPort = await orFree(options.ports.lead);
    const leadUrl = `http://127.0.0.1:${leadPort}`;

    const common: Record<string, string> = {
      GOOGLE_CLOUD_PROJECT: projectId,
      SECRET_MANAGER_EMULATOR_HOST: cloudGrpc,
      OPENAI_BASE_URL: openai.baseURL,
      ALLOWED_ORIGINS: options.allowedOrigins.join(','),
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '60',
      // Empty: read from Secret Manager, not from the caller's shell.
      OPENAI_API_KEY: '',
      VISITOR_TOKEN_KEYS: '',
    };
    const startService = (name: string, workspace: string, env: Record<string, string>) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=lead-intake-source', 'src/server.ts'], {
        cwd: `${root}${workspace}`,
        env: { ...process.env, ...common, ...env, ...options.serviceEnv, OPENAI_API_KEY: '', VISITOR_TOKEN_KEYS: '' },
        stdio: ['ignore', options.serviceOutput ?? 'inherit', options.serviceOutput ?? 'inherit'],
      });
      child.on('exit', (code, signal) => {
        if (!stopping) options.onServiceExit?.(name, code, signal);
      });
      children.push({ name, child });
    };

    startService('session', 'services/session', {
      PORT: String(sessionPort),
      FIRESTORE_EMULATOR_HOST: firestore.hostPort,
      CLOUD_TASKS_EMULATOR_HOST: cloudGrpc,
      LEAD_TRIGGER_URL: `${leadUrl}/tasks/trigger`,
      LEAD_TRIGGER_QUEUE: triggerQueue,
      TASK_SERVICE_ACCOUNT_EMAIL: taskServiceAccount,
    });
    startService('lead', 'services/lead', {
      PORT: String(leadPort),
      RATE_LIMIT_PER_MINUTE: '120',
      FIRESTORE_EMULATOR_HOST: firestore.hostPort,
      CLOUD_TASKS_EMULATOR_HOST: cloudGrpc,
      CLOUD_TASKS_QUEUE: queue,
      TASK_HANDLER_URL: `${leadUrl}/tasks/lead`,
      TASK_SERVICE_ACCOUNT_EMAIL: taskServiceAccount,
      OIDC_CERTS_URL: cloud.oidc.pemCertsUrl,
      OIDC_ISSUERS: cloud.oidc.issuer,
      TASK_MAX_ATTEMPTS: '8',
      LEAD_SAFETY_NET_DELAY_SECONDS: '300',
      // Short enough to try by hand: a follow-up leaves 30 s after the customer's last message.
      LEAD_FOLLOW_UP_WINDOW_SECONDS: '30',
      SES_ENDPOINT: ses.endpoint,
      LEAD_TO_EMAIL: 'shop@example.com',
      LEAD_FROM_EMAIL: 'leads@example.com',
    });

    const urls = {
      session: `http://127.0.0.1:${sessionPort}`,
      lead: leadUrl,
      openai: openai.baseURL,
      sesViewer: ses.viewerUrl,
      cloudInspect: cloud.httpUrl,
    };
    return {
      urls,
      cloudGrpc,
      firestore: { hostPort: firestore.hostPort, kind: firestore.kind, reason: firestore.reason },
      projectId,
      pids: Object.fromEntries(children.map(({ name, child }) => [name, child.pid])),
      ready: async (timeoutMs = 30_000) => {
        const deadline = Date.now() + timeoutMs;
        for (const url of [urls.session, urls.lead]) {
          for (;;) {
            try {
              if ((await fetch(`${url}/health`)).ok) break;
            } catch {
              // not listening yet
            }
            if (Date.now() > deadline) throw new Error(`${url} did not become healthy`);
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
