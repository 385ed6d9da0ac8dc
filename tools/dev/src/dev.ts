/**
 * `npm run dev`: the product locally on embedded defaults, with every cloud dependency replaced
 * by its local stand-in. Prints a table of URLs; Ctrl-C stops everything it started.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { originListFromEnv, parseConfig } from '@lead-intake/shared';
import { startGateway, type StartedGateway } from './gateway/start-gateway.js';
import { buildSiteForLocalStack } from './local-stack/build-site.js';
import { startEmbedDemo, type EmbedDemo } from './local-stack/embed-demo.js';
import { assertPortsFree } from './net/check-ports.js';
import { startLocalStack, type LocalStack } from './local-stack/start-local-stack.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const env = process.env;
const port = (name: string, fallback: number): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number`);
  return value;
};

/** Origins to allow besides the dev site's own and the embed demo's (added to them, never instead). */
const devConfig = z.object({ ALLOWED_ORIGINS: originListFromEnv() });

let stack: LocalStack | undefined;
let gateway: StartedGateway | undefined;
let embedDemo: EmbedDemo | undefined;
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await embedDemo?.close();
  await gateway?.close();
  await stack?.stop();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

async function main(): Promise<void> {
  const { ALLOWED_ORIGINS: extraOrigins } = parseConfig(devConfig, env, 'npm run dev');
  const sitePort = port('DEV_SITE_PORT', 5000);
  const embedPort = port('DEV_EMBED_PORT', 5001);
  // Your own OpenAI key / token keys, if set, are seeded into the local Secret Manager.
  const serviceEnv: Record<string, string> = {};
  for (const name of [
    'OPENAI_API_KEY',
    'VISITOR_TOKEN_KEYS',
    'LOG_LEVEL',
    'LEAD_TO_EMAIL',
    'LEAD_FROM_EMAIL',
    'LEAD_SAFETY_NET_DELAY_SECONDS',
    'LEAD_FOLLOW_UP_WINDOW_SECONDS',
  ]) {
    const value = env[name];
    if (value) serviceEnv[name] = value;
  }
  const ports = {
    session: port('DEV_SESSION_PORT', 8081),
    lead: port('DEV_LEAD_PORT', 8082),
    firestore: port('DEV_FIRESTORE_PORT', 8090),
    ses: port('DEV_SES_PORT', 8005),
    openai: port('DEV_OPENAI_PORT', 8788),
    cloudGrpc: port('DEV_CLOUD_GRPC_PORT', 8085),
    cloudHttp: port('DEV_CLOUD_HTTP_PORT', 8086),
  };
  await assertPortsFree({
    DEV_SITE_PORT: sitePort,
    DEV_EMBED_PORT: embedPort,
    DEV_SESSION_PORT: ports.session,
    DEV_LEAD_PORT: ports.lead,
    DEV_FIRESTORE_PORT: ports.firestore,
    DEV_SES_PORT: ports.ses,
    DEV_OPENAI_PORT: ports.openai,
    DEV_CLOUD_GRPC_PORT: ports.cloudGrpc,
    DEV_CLOUD_HTTP_PORT: ports.cloudHttp,
  });
  stack = await startLocalStack({
    ports,
    projectId: env.GOOGLE_CLOUD_PROJECT ?? 'local-project',
    allowedOrigins: [
      ...new Set([
        `http://localhost:${sitePort}`,
        `http://127.0.0.1:${sitePort}`,
        `http://localhost:${embedPort}`,
        `http://127.0.0.1:${embedPort}`,
        ...extraOrigins,
      ]),
    ],
    serviceEnv,
    onServiceExit: (name, code, signal) => {
      console.error(`${name} exited (${signal ?? code}); stopping.`);
      void stop(1);
    },
  });
  const { urls } = stack;
  // The table means "ready": both services answer /health before it is printed.
  await stack.ready(60_000);
  const realRuntime = Boolean(env.OPENAI_API_KEY);
  const site = await buildSiteForLocalStack({ outDir: join(root, 'web/dist'), siteOrigin: `http://localhost:${sitePort}`, realRuntime });
  gateway = await startGateway({
    firebaseJson: join(root, 'firebase.json'),
    port: sitePort,
    services: { 'chatkit-session': urls.session, 'chatkit-lead': urls.lead },
  });
  embedDemo = await startEmbedDemo({ port: embedPort, siteUrl: gateway.url });
  const rows: Array<[string, string]> = [
    ['Site (firebase.json applied)', `${gateway.url}/`],
    ['Embed demo (widget.js on another origin)', `${embedDemo.url}/?locale=es`],
    [
      'ChatKit runtime',
      site.runtime === 'cdn'
        ? "OpenAI's chatkit.js (falls back to the development element offline)"
        : 'development element (offline; set OPENAI_API_KEY for the real chatkit.js)',
    ],
    ['ChatKit server', `${urls.session}/api/chatkit`],
    ['Visitor sessions', `${urls.session}/api/chatkit/session`],
    ['Lead API', `${urls.lead}/api/chatkit/lead`],
    ['Health', `${urls.session}/health  ${urls.lead}/health`],
    ['Shop inbox (SES viewer)', urls.sesViewer],
    ['OpenAI stand-in', urls.openai],
    ['Cloud emulator (gRPC)', stack.cloudGrpc],
    ['Cloud emulator (inspect)', urls.cloudInspect],
    [`Firestore (${stack.firestore.kind})`, stack.firestore.hostPort],
  ];
  if (extraOrigins.length > 0) rows.push(['Extra allowed origins (ALLOWED_ORIGINS)', extraOrigins.join(' ')]);
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('\nChatKit Lead Intake: local dev\n');
  for (const [name, url] of rows) console.log(`  ${name.padEnd(width)}  ${url}`);
  console.log('\nCtrl-C stops everything.\n');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  void stop(1);
});
