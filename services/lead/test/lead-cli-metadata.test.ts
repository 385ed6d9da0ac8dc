import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { startLeadEnv, TASKS_SA, waitFor, type LeadEnv } from './harness.js';
import { runCli } from './support/cli.js';

/**
 * A stand-in for the GCE metadata server (google-auth-library and gcp-metadata honour
 * GCE_METADATA_HOST): it records every probe and answers 500, the kind of answer that makes
 * gcp-metadata print a MetadataLookupWarning. On the emulators, nothing may ask it anything.
 */
let metadata: Server;
const probes: string[] = [];
let env: LeadEnv;
let home: string;
beforeAll(async () => {
  metadata = createServer((req, res) => {
    probes.push(`${req.method} ${req.url}`);
    res.writeHead(500).end('metadata stand-in');
  });
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  env = await startLeadEnv();
  // No application-default credentials file either: the auth library's next stop would be the metadata server.
  home = await mkdtemp(join(tmpdir(), 'lead-cli-home-'));
});
afterAll(async () => {
  await env.close();
  await new Promise((resolve) => metadata.close(resolve));
});

function emulatorEnv(): Record<string, string> {
  const firestore = useProvided('firestore');
  return {
    HOME: home,
    GCE_METADATA_HOST: `127.0.0.1:${(metadata.address() as AddressInfo).port}`,
    FIRESTORE_EMULATOR_HOST: firestore.hostPort,
    GOOGLE_CLOUD_PROJECT: firestore.projectId,
    FIRESTORE_COLLECTION: env.collection,
    CHAT_THREADS_COLLECTION: env.threadsCollection,
  };
}

describe('the ops CLI on the emulators', () => {
  it('when status, preview and resend run, then the metadata server is never asked and stderr has no MetadataLookupWarning', async () => {
    const threadId = await env.seed(
      chatThread(`cthr_cli_meta_${Date.now().toString(36)}`, [userMessage('My 2018 Civic seat is torn. I am Ana, (650) 555-0123.')]),
    );
    await env.trigger({ threadId, reason: 'chat_closed' });
    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await waitFor(async () => (await env.state(threadId)) === 'sent');

    const status = await runCli(['status', threadId], emulatorEnv());
    const preview = await runCli(['preview', threadId, '--no-summary', '--json'], emulatorEnv());
    const resend = await runCli(['resend', threadId, '--reason', 'metadata probe test'], {
      ...emulatorEnv(),
      CLOUD_TASKS_EMULATOR_HOST: `${env.cloud.grpcEndpoint.host}:${env.cloud.grpcEndpoint.port}`,
      CLOUD_TASKS_QUEUE: env.queue,
      TASK_HANDLER_URL: env.handlerUrl,
      TASK_SERVICE_ACCOUNT_EMAIL: TASKS_SA,
      LEAD_TO_EMAIL: 'shop@rosewood.example',
      LEAD_FROM_EMAIL: 'leads@rosewood.example',
      OPENAI_API_KEY: 'sk-cli',
    });

    expect([status.code, preview.code, resend.code]).toEqual([0, 0, 0]);
    for (const run of [status, preview, resend]) expect(run.stderr).not.toContain('MetadataLookupWarning');
    expect(probes).toEqual([]);
    await waitFor(async () => (await env.emailsFor(threadId)).length === 2);
  }, 60_000);
});
