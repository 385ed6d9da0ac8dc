import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '@lead-intake/dev-tools/testing/log-capture';
import { createLogger } from '../src/logging/logger.js';
import { SecretStore } from '../src/secrets/secret-store.js';
import type { SecretSource } from '../src/secrets/secret-source.js';

const silent = createLogger({ level: 'silent', service: 'test' }, new Writable({ write: (_c, _e, cb) => cb() }));

/** A Secret Manager double whose values and availability the test controls. */
function fakeSource(values: Record<string, string>) {
  let calls = 0;
  let down = false;
  const source: SecretSource = {
    access: async (name) => {
      calls += 1;
      if (down) throw Object.assign(new Error('unavailable'), { code: 14 });
      const value = values[name];
      if (value === undefined) throw Object.assign(new Error('not found'), { code: 5 });
      return value;
    },
  };
  return { source, calls: () => calls, setDown: (value: boolean) => (down = value), values };
}

const spec = { KEY: { envName: 'KEY', resourceName: 'projects/p/secrets/KEY/versions/latest' } };

describe('SecretStore', () => {
  it('when the environment holds the secret, then Secret Manager is never asked', async () => {
    const fake = fakeSource({});
    const store = new SecretStore({ secrets: spec, env: { KEY: 'from-env' }, source: fake.source, logger: silent, ttlMs: 1000 });
    expect(await store.get()).toEqual({ KEY: 'from-env' });
    expect(fake.calls()).toBe(0);
  });

  it('when the TTL passes, then the next read serves the cached value and refreshes it in the background', async () => {
    let now = 0;
    const fake = fakeSource({ 'projects/p/secrets/KEY/versions/latest': 'v1' });
    const store = new SecretStore({ secrets: spec, env: {}, source: fake.source, logger: silent, ttlMs: 1000, now: () => now });
    expect(await store.warmUp()).toBe(true);
    fake.values['projects/p/secrets/KEY/versions/latest'] = 'v2';

    now = 999;
    expect((await store.get()).KEY).toBe('v1');
    expect(fake.calls()).toBe(1);

    now = 1000;
    expect((await store.get()).KEY).toBe('v1'); // stale but usable while the refresh runs
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await store.get()).KEY).toBe('v2');
    expect(fake.calls()).toBe(2);
  });

  it('when a refresh fails, then the last good value keeps being served', async () => {
    let now = 0;
    const fake = fakeSource({ 'projects/p/secrets/KEY/versions/latest': 'v1' });
    const store = new SecretStore({ secrets: spec, env: {}, source: fake.source, logger: silent, ttlMs: 1000, now: () => now });
    await store.warmUp();
    fake.setDown(true);
    now = 5000;
    expect((await store.get()).KEY).toBe('v1');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect((await store.get()).KEY).toBe('v1');
  });

  it('when nothing was ever loaded, then reads fail with 503 and retry only after the back-off', async () => {
    let now = 0;
    const fake = fakeSource({});
    const store = new SecretStore({
      secrets: spec,
      env: {},
      source: fake.source,
      logger: silent,
      ttlMs: 1000,
      retryAfterFailureMs: 5000,
      now: () => now,
    });
    expect(await store.warmUp()).toBe(false);
    await expect(store.get()).rejects.toMatchObject({ code: 'unavailable', status: 503 });
    expect(fake.calls()).toBe(1); // within the back-off: no new call

    fake.values['projects/p/secrets/KEY/versions/latest'] = 'late';
    now = 5000;
    expect((await store.get()).KEY).toBe('late');
    expect(fake.calls()).toBe(2);
  });

  it('when every secret comes from the environment, then start-up reads nothing and logs no ERROR', async () => {
    const logs = new LogCapture();
    const logger = createLogger({ level: 'debug', service: 'test' }, logs);
    // No Secret Manager configured (no GOOGLE_CLOUD_PROJECT), as in local dev.
    const store = new SecretStore({ secrets: spec, env: { KEY: 'from-env' }, source: undefined, logger, ttlMs: 1000 });
    expect(await store.warmUp()).toBe(true);
    expect(await store.get()).toEqual({ KEY: 'from-env' });
    logger.flush();
    expect(logs.lines.filter((line) => (JSON.parse(line) as { severity?: string }).severity === 'ERROR')).toEqual([]);
  });

  it('when no Secret Manager is configured and the environment lacks the secret, then reads fail with 503', async () => {
    const store = new SecretStore({ secrets: spec, env: {}, source: undefined, logger: silent, ttlMs: 1000 });
    await expect(store.get()).rejects.toMatchObject({ code: 'unavailable' });
  });
});
