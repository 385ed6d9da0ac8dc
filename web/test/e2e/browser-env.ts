/**
 * The whole product for browser tests: the local cloud (both services from their entry points),
 * the site built as production builds it (local build config), the gateway applying firebase.json,
 * two embedding sites on other origins (one allowed, one not), and Debian's chromium.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { startGateway, type StartedGateway } from '@lead-intake/dev-tools/gateway/start-gateway';
import { buildSiteForLocalStack } from '@lead-intake/dev-tools/local-stack/build-site';
import { startEmbedDemo } from '@lead-intake/dev-tools/local-stack/embed-demo';
import { startLocalStack, type LocalStack } from '@lead-intake/dev-tools/local-stack/start-local-stack';
import { freePort } from '@lead-intake/dev-tools/net/free-port';
import { readStore, type SesStoredEmail } from '@lead-intake/dev-tools/ses/start-ses';
import { localFirestoreClient } from '@lead-intake/dev-tools/testing/firestore-client';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const SCREENSHOTS = join(root, 'web/test-results/screenshots');
export const IDLE_SECONDS = 3;

/** What these tests read of a lead record (services/lead's document, schema 2). */
interface StoredLeadRecord {
  lastOutcome?: { outcome: string; version: number } | null;
  history?: Array<{ kind: string; trigger?: string }>;
}

export interface BrowserEnv {
  stack: LocalStack;
  gateway: StartedGateway;
  site: string;
  /** The same site built as production is: ChatKit streams from the session service's own URL. */
  siteDirect: string;
  embedAllowed: string;
  embedForeign: string;
  browser: Browser;
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
  emailsFor(threadId: string): Promise<SesStoredEmail[]>;
  /** The thread's lead record as the lead service stored it. */
  leadRecord(threadId: string): Promise<StoredLeadRecord | undefined>;
  stop(): Promise<void>;
}

export async function startBrowserEnv(): Promise<BrowserEnv> {
  const [sitePort, directPort, allowedPort, foreignPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const site = `http://localhost:${sitePort}`;
  const siteDirect = `http://localhost:${directPort}`;
  const embedAllowed = `http://localhost:${allowedPort}`;
  const embedForeign = `http://localhost:${foreignPort}`;
  const stack = await startLocalStack({
    ports: { session: 0, lead: 0, firestore: 0, ses: 0, openai: 0, cloudGrpc: 0, cloudHttp: 0 },
    allowedOrigins: [site, siteDirect, embedAllowed],
    serviceOutput: 'ignore',
    // The lead timings of `npm run dev` (auto delay, follow-up window): the promptness tests measure those.
    serviceEnv: { LOG_LEVEL: 'warn' },
  });
  const outDir = await mkdtemp(join(tmpdir(), 'web-e2e-'));
  const directDir = await mkdtemp(join(tmpdir(), 'web-e2e-direct-'));
  const closers: Array<() => Promise<unknown>> = [
    () => stack.stop(),
    () => rm(outDir, { recursive: true, force: true }),
    () => rm(directDir, { recursive: true, force: true }),
  ];
  const testBuild = { WEB_IDLE_SECONDS: String(IDLE_SECONDS), WEB_READY_TIMEOUT_SECONDS: '6', WEB_RUNTIME_TIMEOUT_SECONDS: '3' };
  try {
    await Promise.all([
      stack.ready(90_000),
      buildSiteForLocalStack({ outDir, siteOrigin: site, realRuntime: false, quiet: true, extraEnv: testBuild }),
      buildSiteForLocalStack({
        outDir: directDir,
        siteOrigin: siteDirect,
        realRuntime: false,
        quiet: true,
        extraEnv: { ...testBuild, WEB_CHATKIT_URL: `${stack.urls.session}/api/chatkit` },
      }),
      mkdir(SCREENSHOTS, { recursive: true }),
    ]);
    const gateway = await startGateway({
      firebaseJson: join(root, 'firebase.json'),
      port: sitePort,
      publicDir: outDir,
      services: { 'chatkit-session': stack.urls.session, 'chatkit-lead': stack.urls.lead },
    });
    // As a deploy with a custom streaming origin does: that origin joins the pages' connect-src.
    const directFirebaseJson = join(directDir, 'firebase.json');
    const firebase = JSON.parse(await readFile(join(root, 'firebase.json'), 'utf8')) as { hosting: { public: string } };
    await writeFile(
      directFirebaseJson,
      JSON.stringify(firebase).replace("connect-src 'self'", `connect-src 'self' ${new URL(stack.urls.session).origin}`),
    );
    const direct = await startGateway({
      firebaseJson: directFirebaseJson,
      port: directPort,
      publicDir: directDir,
      services: { 'chatkit-session': stack.urls.session, 'chatkit-lead': stack.urls.lead },
    });
    closers.unshift(
      () => gateway.close(),
      () => direct.close(),
    );
    const hosts = [
      await startEmbedDemo({ port: allowedPort, siteUrl: gateway.url, locale: 'es' }),
      await startEmbedDemo({ port: foreignPort, siteUrl: gateway.url, locale: 'es' }),
    ];
    closers.unshift(...hosts.map((host) => () => host.close()));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    closers.unshift(() => browser.close());
    const firestore = localFirestoreClient({ projectId: stack.projectId, hostPort: stack.firestore.hostPort });
    closers.unshift(() => firestore.terminate());
    return {
      stack,
      gateway,
      site,
      siteDirect,
      embedAllowed,
      embedForeign,
      browser,
      newContext: (options) => browser.newContext({ locale: 'en-US', ...options }),
      emailsFor: async (threadId) =>
        (await readStore(stack.urls.sesViewer.replace(/\/$/, ''))).filter((email) =>
          `${email.subject}${email.body.text ?? ''}`.includes(threadId),
        ),
      leadRecord: async (threadId) => {
        const doc = await firestore.collection('leadThreads').doc(threadId).get();
        return doc.data() as StoredLeadRecord | undefined;
      },
      stop: async () => {
        for (const close of closers) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => undefined);
    throw error;
  }
}

export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
