/**
 * Fixture for test-env.test.ts: runs only inside the child Vitest it starts (with
 * global-setup-all.ts as globalSetup and TEST_ENV_SELFTEST=1); skipped in ordinary runs.
 */
import { describe, expect, it } from 'vitest';
import { Firestore } from '@google-cloud/firestore';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { useProvided } from '../src/test-env/provided.js';
import { readStore, sesClientConfig } from '../src/ses/start-ses.js';

describe.runIf(process.env.TEST_ENV_SELFTEST === '1')('test-env fixture (runs only inside test-env.test.ts)', () => {
  it('when injected, then every address matches the exported env variables', () => {
    const firestore = useProvided('firestore');
    const ses = useProvided('ses');
    const cloud = useProvided('cloud');
    const openai = useProvided('openai');
    expect(process.env.FIRESTORE_EMULATOR_HOST).toBe(firestore.hostPort);
    expect(process.env.SES_ENDPOINT).toBe(ses.endpoint);
    expect(process.env.CLOUD_TASKS_EMULATOR_HOST).toBe(cloud.grpcHostPort);
    expect(process.env.SECRET_MANAGER_EMULATOR_HOST).toBe(cloud.grpcHostPort);
    expect(process.env.OPENAI_BASE_URL).toBe(openai.baseURL);
  });

  it('when the Firestore SDK uses FIRESTORE_EMULATOR_HOST, then it reads its own writes', async () => {
    const db = new Firestore({ projectId: 'test-env-fixture' });
    try {
      await db.doc('probe/one').set({ ok: true });
      expect((await db.doc('probe/one').get()).get('ok')).toBe(true);
    } finally {
      await db.terminate();
    }
  });

  it('when an email is sent to SES_ENDPOINT, then it is in the store', async () => {
    const endpoint = process.env.SES_ENDPOINT ?? '';
    const client = new SESClient(sesClientConfig(endpoint));
    await client.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['b@example.com'] },
        Message: { Subject: { Data: 'fixture' }, Body: { Text: { Data: 'x' } } },
      }),
    );
    client.destroy();
    expect((await readStore(endpoint)).map((e) => e.subject)).toContain('fixture');
  });

  it('when the cloud emulator and the OpenAI stand-in are called, then both answer', async () => {
    const cloud = useProvided('cloud');
    expect((await fetch(cloud.httpUrl)).status).toBeLessThan(500);
    // Any HTTP answer proves the address (a connection error would throw).
    expect((await fetch(`${process.env.OPENAI_BASE_URL}/models`)).status).toBeGreaterThan(0);
  });
});
