import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  createSecretManagerClient,
  createServiceSecrets,
  SecretManagerSecretSource,
  secretResourceName,
  SecretStore,
} from '@lead-intake/shared';
import { startCloudEmulator, type CloudEmulator } from '@lead-intake/dev-tools/cloud-emulator/index';
import { startOpenAIStub, type OpenAIStub } from '@lead-intake/dev-tools/openai-stub/server';
import OpenAI from 'openai';
import { OpenAIChatKitSessions } from '../src/openai-chatkit-sessions.js';
import { LogCapture } from '@lead-intake/dev-tools/testing/log-capture';
import { startTestService } from './harness.js';

const PROJECT = 'secrets-test-project';
const SM_API_KEY = 'sk-from-secret-manager-123';
const SM_WORKFLOW = 'wf_from_secret_manager';

let emulator: CloudEmulator;
let stub: OpenAIStub;

beforeAll(async () => {
  emulator = await startCloudEmulator({ projectId: PROJECT });
  stub = await startOpenAIStub({ port: 0, apiKey: SM_API_KEY });
});
afterAll(async () => {
  await stub.close();
  await emulator.close();
});

/** The service wired as server.ts wires it, with Secret Manager as the only source of secrets. */
async function serviceReadingSecretManager(options: { retryAfterFailureMs?: number } = {}) {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', service: 'session-test' }, logs);
  // Wired exactly as server.ts wires it: nothing in the environment, so Secret Manager it is.
  const { store: secrets, close } = createServiceSecrets({
    names: ['OPENAI_API_KEY', 'CHATKIT_WORKFLOW_ID'] as const,
    config: {
      GOOGLE_CLOUD_PROJECT: PROJECT,
      SECRET_MANAGER_EMULATOR_HOST: `${emulator.grpcEndpoint.host}:${emulator.grpcEndpoint.port}`,
      SECRETS_TTL_SECONDS: 60,
    },
    retryAfterFailureMs: options.retryAfterFailureMs ?? 0,
    logger,
  });
  const openai = new OpenAI({
    apiKey: async () => (await secrets.get()).OPENAI_API_KEY,
    baseURL: stub.baseURL,
    maxRetries: 0,
  });
  const service = await startTestService({ stub, secrets, sessions: new OpenAIChatKitSessions(openai) });
  return { service, secrets, logs, client: { close } };
}

describe('secrets from Secret Manager', () => {
  it('when the environment has no secrets, then the key and workflow id are read from Secret Manager over gRPC', async () => {
    emulator.secrets.set('OPENAI_API_KEY', SM_API_KEY);
    emulator.secrets.set('CHATKIT_WORKFLOW_ID', SM_WORKFLOW);
    const { service, secrets, logs, client } = await serviceReadingSecretManager();
    try {
      expect(await secrets.warmUp()).toBe(true);
      stub.clearRequests();
      const response = await service.post({});
      expect(response.status).toBe(200);
      const [call] = stub.requests;
      expect(call?.authorized).toBe(true);
      expect((call?.body as { workflow: { id: string } }).workflow.id).toBe(SM_WORKFLOW);
      expect(logs.text).toContain('secrets loaded from Secret Manager');
      expect(logs.text).not.toContain(SM_API_KEY);
    } finally {
      await service.close();
      await client.close();
    }
  });

  it('when a secret is missing, then requests get 503 unavailable with a clear log line, and the service recovers once it exists', async () => {
    const { service, secrets, logs, client } = await serviceReadingSecretManager();
    const missingProject = secretResourceName(PROJECT, 'CHATKIT_WORKFLOW_ID', undefined);
    try {
      emulator.secrets.destroy('CHATKIT_WORKFLOW_ID', 'latest');
      expect(await secrets.warmUp()).toBe(false);
      stub.clearRequests();

      const refused = await service.post({});
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBeTruthy();
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      expect(stub.requests).toHaveLength(0);
      const errorLine = logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.severity === 'ERROR');
      expect(errorLine?.message).toMatch(/cannot read secrets from Secret Manager/);
      expect(JSON.stringify(errorLine)).toContain(missingProject);

      emulator.secrets.set('CHATKIT_WORKFLOW_ID', SM_WORKFLOW);
      const recovered = await service.post({});
      expect(recovered.status).toBe(200);
    } finally {
      await service.close();
      await client.close();
    }
  });

  it('when Secret Manager is unreachable, then startup does not throw and requests get 503', async () => {
    const logs = new LogCapture();
    const client = createSecretManagerClient({ emulatorHost: '127.0.0.1:9', projectId: PROJECT });
    const secrets = new SecretStore({
      secrets: { CHATKIT_WORKFLOW_ID: { envName: 'CHATKIT_WORKFLOW_ID', resourceName: secretResourceName(PROJECT, 'CHATKIT_WORKFLOW_ID', undefined) } },
      env: {},
      source: { access: (name) => Promise.race([new SecretManagerSecretSource(client).access(name), new Promise<string>((_, reject) => setTimeout(() => reject(new Error('deadline')), 1500))]) },
      logger: createLogger({ level: 'info', service: 'session-test' }, logs),
      ttlMs: 60_000,
    });
    const service = await startTestService({ stub, secrets });
    try {
      expect(await secrets.warmUp()).toBe(false);
      const response = await service.post({});
      expect(response.status).toBe(503);
    } finally {
      await service.close();
      await client.close();
    }
  });
});
