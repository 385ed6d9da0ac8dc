import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudTasksClient } from '@google-cloud/tasks';
import { emulatorClientOptions } from '@lead-intake/shared';
import { startCloudEmulator, type CloudEmulator } from '@lead-intake/dev-tools/cloud-emulator/index';
import { startRecordingTarget, type RecordingTarget } from '@lead-intake/dev-tools/cloud-emulator/testing/recording-target';
import { CloudTasksLeadTrigger } from '../src/adapters/cloud-tasks-lead-trigger.js';

let cloud: CloudEmulator;
let target: RecordingTarget;
let client: CloudTasksClient;

beforeAll(async () => {
  cloud = await startCloudEmulator({ projectId: 'trigger-project', location: 'us-west1' });
  target = await startRecordingTarget();
  client = new CloudTasksClient(emulatorClientOptions(`${cloud.grpcEndpoint.host}:${cloud.grpcEndpoint.port}`, 'trigger-project'));
});
afterAll(async () => {
  await client.close();
  await target.close();
  await cloud.close();
});

describe('CloudTasksLeadTrigger', () => {
  it('when a turn ends, then one OIDC-signed task posts the auto trigger to the lead service, and a re-sent signal adds none', async () => {
    const queue = cloud.tasks.ensureQueue('projects/trigger-project/locations/us-west1/queues/lead-triggers', {});
    const trigger = new CloudTasksLeadTrigger(client, {
      queue,
      url: `${target.url}/tasks/trigger`,
      serviceAccountEmail: 'lead-tasks@trigger-project.iam.gserviceaccount.com',
    });
    const signal = {
      threadId: 'cthr_trigger_1',
      turnItemId: 'cthi_turn_1',
      user: 'anon_visitor_01',
      locale: 'es',
      pageUrl: 'https://shop.example/es/',
    };
    await trigger.turnCompleted(signal);
    await trigger.turnCompleted(signal);
    const [request] = await target.waitForRequests(1);
    expect(request?.path).toBe('/tasks/trigger');
    expect(JSON.parse(request?.body.toString() ?? '{}')).toEqual({
      threadId: 'cthr_trigger_1',
      reason: 'auto',
      locale: 'es',
      user: 'anon_visitor_01',
      pageUrl: 'https://shop.example/es/',
    });
    expect(request?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(target.requests).toHaveLength(1);

    await trigger.turnCompleted({ ...signal, turnItemId: 'cthi_turn_2' });
    expect(await target.waitForRequests(2)).toHaveLength(2);
  });
});
