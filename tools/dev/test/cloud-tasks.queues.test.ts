import { CloudTasksClient } from '@google-cloud/tasks';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientOptions, startCloudEmulator } from '../src/cloud-emulator/index.js';
import type { CloudEmulator } from '../src/cloud-emulator/index.js';
import { grpcCodeOf } from '../src/cloud-emulator/testing/recording-target.js';

const PROJECT = 'queue-project';
const LOCATION = 'europe-west1';
let emulator: CloudEmulator;
let client: CloudTasksClient;
const parent = `projects/${PROJECT}/locations/${LOCATION}`;
const queueName = (id: string): string => `${parent}/queues/${id}`;

beforeAll(async () => {
  emulator = await startCloudEmulator({ projectId: PROJECT, location: LOCATION, queues: ['preexisting'] });
  client = new CloudTasksClient(emulatorClientOptions(emulator));
});
afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

describe('Cloud Tasks queues with the official client', () => {
  it('when a client is built with apiEndpoint, port, insecure sslCreds and no credentials, then it reaches the emulator', async () => {
    const plain = new CloudTasksClient({
      apiEndpoint: '127.0.0.1',
      port: emulator.grpcEndpoint.port,
      sslCreds: grpc.credentials.createInsecure(),
      projectId: PROJECT,
      // Without it google-auth-library probes the GCE metadata server and warns on stderr.
      universeDomain: 'googleapis.com',
    });
    try {
      const [queue] = await plain.getQueue({ name: queueName('preexisting') });
      expect(queue.state).toBe('RUNNING');
    } finally {
      await plain.close();
    }
  });

  it('when a queue is created without config, then it gets the real service defaults', async () => {
    const [queue] = await client.createQueue({ parent, queue: { name: queueName('defaults') } });
    expect(queue.name).toBe(queueName('defaults'));
    expect(queue.state).toBe('RUNNING');
    expect(queue.retryConfig).toMatchObject({
      maxAttempts: 100,
      minBackoff: { seconds: '0', nanos: 100_000_000 },
      maxBackoff: { seconds: '3600' },
      maxDoublings: 16,
    });
    expect(queue.rateLimits).toMatchObject({ maxDispatchesPerSecond: 500, maxBurstSize: 100, maxConcurrentDispatches: 1000 });
  });

  it('when a queue is created with retry and rate config, then GetQueue returns it', async () => {
    await client.createQueue({
      parent,
      queue: {
        name: queueName('configured'),
        retryConfig: {
          maxAttempts: -1,
          minBackoff: { seconds: 1 },
          maxBackoff: { seconds: 8 },
          maxDoublings: 1,
          maxRetryDuration: { seconds: 600 },
        },
        rateLimits: { maxConcurrentDispatches: 3, maxDispatchesPerSecond: 10 },
      },
    });
    const [queue] = await client.getQueue({ name: queueName('configured') });
    expect(queue.retryConfig).toMatchObject({
      maxAttempts: -1,
      minBackoff: { seconds: '1' },
      maxBackoff: { seconds: '8' },
      maxDoublings: 1,
      maxRetryDuration: { seconds: '600' },
    });
    expect(queue.rateLimits).toMatchObject({ maxConcurrentDispatches: 3, maxDispatchesPerSecond: 10, maxBurstSize: 10 });
  });

  it('when a queue name is taken, then CreateQueue fails with ALREADY_EXISTS', async () => {
    expect(await grpcCodeOf(client.createQueue({ parent, queue: { name: queueName('preexisting') } }))).toBe(grpc.status.ALREADY_EXISTS);
  });

  it('when queue names or config are invalid, then calls fail with INVALID_ARGUMENT', async () => {
    const create = (queue: object): Promise<unknown> => client.createQueue({ parent, queue });
    expect(await grpcCodeOf(create({ name: queueName('under_score') }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await grpcCodeOf(create({ name: queueName('q'.repeat(101)) }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await grpcCodeOf(create({ name: `projects/${PROJECT}/locations/elsewhere/queues/q` }))).toBe(grpc.status.INVALID_ARGUMENT);
    expect(
      await grpcCodeOf(
        create({ name: queueName('bad-backoff'), retryConfig: { minBackoff: { seconds: 10 }, maxBackoff: { seconds: 5 } } }),
      ),
    ).toBe(grpc.status.INVALID_ARGUMENT);
    expect(await grpcCodeOf(create({ name: queueName('bad-rate'), rateLimits: { maxDispatchesPerSecond: 501 } }))).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('when a queue does not exist, then Get, Pause and Delete fail with NOT_FOUND', async () => {
    const name = queueName('missing');
    expect(await grpcCodeOf(client.getQueue({ name }))).toBe(grpc.status.NOT_FOUND);
    expect(await grpcCodeOf(client.pauseQueue({ name }))).toBe(grpc.status.NOT_FOUND);
    expect(await grpcCodeOf(client.deleteQueue({ name }))).toBe(grpc.status.NOT_FOUND);
  });

  it('when a queue is paused and resumed, then its state follows and list can filter by state', async () => {
    await client.createQueue({ parent, queue: { name: queueName('pausable') } });
    const [paused] = await client.pauseQueue({ name: queueName('pausable') });
    expect(paused.state).toBe('PAUSED');
    const [pausedOnly] = await client.listQueues({ parent, filter: 'state: PAUSED' });
    expect(pausedOnly.map((q) => q.name)).toEqual([queueName('pausable')]);
    const [resumed] = await client.resumeQueue({ name: queueName('pausable') });
    expect(resumed.state).toBe('RUNNING');
  });

  it('when listing queues, then only the location’s queues are returned, page by page', async () => {
    const [all] = await client.listQueues({ parent });
    expect(all.map((q) => q.name)).toContain(queueName('preexisting'));
    const [other] = await client.listQueues({ parent: `projects/${PROJECT}/locations/us-east1` });
    expect(other).toEqual([]);
    const [page, next] = await client.listQueues({ parent, pageSize: 1 }, { autoPaginate: false });
    expect(page).toHaveLength(1);
    expect(next?.pageToken).toBeTruthy();
  });

  it('when a queue is updated with a mask, then only masked fields change; an unknown queue is created', async () => {
    await client.createQueue({ parent, queue: { name: queueName('updatable'), retryConfig: { maxAttempts: 7 } } });
    const [updated] = await client.updateQueue({
      queue: { name: queueName('updatable'), rateLimits: { maxConcurrentDispatches: 2 }, retryConfig: { maxAttempts: 1 } },
      updateMask: { paths: ['rate_limits.max_concurrent_dispatches'] },
    });
    expect(updated.rateLimits?.maxConcurrentDispatches).toBe(2);
    expect(updated.retryConfig?.maxAttempts).toBe(7);
    const [created] = await client.updateQueue({ queue: { name: queueName('upserted') } });
    expect(created.state).toBe('RUNNING');
  });

  it('when a queue is deleted, then it is gone and its name cannot be reused right away', async () => {
    await client.createQueue({ parent, queue: { name: queueName('short-lived') } });
    await client.deleteQueue({ name: queueName('short-lived') });
    expect(await grpcCodeOf(client.getQueue({ name: queueName('short-lived') }))).toBe(grpc.status.NOT_FOUND);
    expect(await grpcCodeOf(client.createQueue({ parent, queue: { name: queueName('short-lived') } }))).toBe(
      grpc.status.FAILED_PRECONDITION,
    );
  });
});
