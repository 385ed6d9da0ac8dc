/**
 * `npm run dev`: the product locally on embedded defaults, with every cloud dependency replaced
 * by its local stand-in. Prints a table of URLs; Ctrl-C stops everything it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCloudEmulator } from './cloud-emulator/index.js';
import { startFirestore } from './firestore/start-firestore.js';
import { startOpenAIStub } from './openai-stub/server.js';
import { startSes } from './ses/start-ses.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const env = process.env;
const port = (name: string, fallback: number): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number`);
  return value;
};

const ports = {
  site: port('DEV_SITE_PORT', 5000),
  session: port('DEV_SESSION_PORT', 8081),
  lead: port('DEV_LEAD_PORT', 8082),
  firestore: port('DEV_FIRESTORE_PORT', 8090),
  ses: port('DEV_SES_PORT', 8005),
  openai: port('DEV_OPENAI_PORT', 8788),
  cloudGrpc: port('DEV_CLOUD_GRPC_PORT', 8085),
  cloudHttp: port('DEV_CLOUD_HTTP_PORT', 8086),
};
const projectId = env.GOOGLE_CLOUD_PROJECT ?? 'local-project';

const children: ChildProcess[] = [];
const closers: Array<() => Promise<void>> = [];

function startService(name: string, workspace: string, serviceEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', 'src/server.ts'], {
    cwd: `${root}${workspace}`,
    env: { ...env, ...serviceEnv },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); stopping.`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    ),
  );
  await Promise.allSettled(closers.map((close) => close()));
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function main(): Promise<void> {
  const openai = await startOpenAIStub({ port: ports.openai });
  closers.push(() => openai.close());

  const cloud = await startCloudEmulator({
    projectId,
    grpcPort: ports.cloudGrpc,
    httpPort: ports.cloudHttp,
    // The services read these from (local) Secret Manager exactly as in production.
    seedSecrets: {
      OPENAI_API_KEY: env.OPENAI_API_KEY ?? 'sk-local-dev-key',
      CHATKIT_WORKFLOW_ID: env.CHATKIT_WORKFLOW_ID ?? 'wf_local_dev_workflow',
    },
  });
  closers.push(() => cloud.close());
  const secretManagerHost = `${cloud.grpcEndpoint.host}:${cloud.grpcEndpoint.port}`;

  const firestore = await startFirestore({ port: ports.firestore, projectId });
  closers.push(() => firestore.close());
  const ses = await startSes({ port: ports.ses });
  closers.push(() => ses.close());
  const queue = cloud.tasks.ensureQueue(`projects/${projectId}/locations/${cloud.location}/queues/lead-evaluations`, {
    retryConfig: { maxAttempts: 8, minBackoff: { seconds: 1 }, maxBackoff: { seconds: 60 }, maxDoublings: 4 },
  });

  const common = {
    GOOGLE_CLOUD_PROJECT: projectId,
    SECRET_MANAGER_EMULATOR_HOST: secretManagerHost,
    OPENAI_BASE_URL: openai.baseURL,
    ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ?? `http://localhost:${ports.site},http://127.0.0.1:${ports.site}`,
    LOG_LEVEL: env.LOG_LEVEL ?? 'info',
    RATE_LIMIT_PER_MINUTE: env.RATE_LIMIT_PER_MINUTE ?? '60',
  };
  // Empty values make the services read the secrets from Secret Manager, not from this shell.
  startService('session', 'services/session', { ...common, PORT: String(ports.session), OPENAI_API_KEY: '', CHATKIT_WORKFLOW_ID: '' });
  const leadUrl = `http://127.0.0.1:${ports.lead}`;
  startService('lead', 'services/lead', {
    ...common,
    PORT: String(ports.lead),
    OPENAI_API_KEY: '',
    RATE_LIMIT_PER_MINUTE: env.RATE_LIMIT_PER_MINUTE ?? '120',
    FIRESTORE_EMULATOR_HOST: firestore.hostPort,
    CLOUD_TASKS_EMULATOR_HOST: secretManagerHost,
    CLOUD_TASKS_QUEUE: queue,
    TASK_HANDLER_URL: `${leadUrl}/tasks/lead`,
    TASK_SERVICE_ACCOUNT_EMAIL: `lead-tasks@${projectId}.iam.gserviceaccount.com`,
    OIDC_CERTS_URL: cloud.oidc.pemCertsUrl,
    OIDC_ISSUERS: cloud.oidc.issuer,
    TASK_MAX_ATTEMPTS: '8',
    LEAD_SAFETY_NET_DELAY_SECONDS: env.LEAD_SAFETY_NET_DELAY_SECONDS ?? '300',
    SES_ENDPOINT: ses.endpoint,
    LEAD_TO_EMAIL: env.LEAD_TO_EMAIL ?? 'shop@example.com',
    LEAD_FROM_EMAIL: env.LEAD_FROM_EMAIL ?? 'leads@example.com',
  });

  const rows: Array<[string, string]> = [
    ['Session API', `http://localhost:${ports.session}/api/chatkit/session`],
    ['Lead API', `http://localhost:${ports.lead}/api/chatkit/lead`],
    ['Health', `http://localhost:${ports.session}/health  http://localhost:${ports.lead}/health`],
    ['Shop inbox (SES viewer)', ses.viewerUrl],
    ['OpenAI stand-in', openai.baseURL],
    ['Cloud emulator (gRPC)', secretManagerHost],
    ['Cloud emulator (inspect)', cloud.httpUrl],
    [`Firestore (${firestore.kind})`, firestore.hostPort],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('\nChatKit Lead Intake: local dev\n');
  for (const [name, url] of rows) console.log(`  ${name.padEnd(width)}  ${url}`);
  console.log('\nCtrl-C stops everything.\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
