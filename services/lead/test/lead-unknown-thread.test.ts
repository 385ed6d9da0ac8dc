import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

let env: LeadEnv;
beforeAll(async () => {
  env = await startLeadEnv();
});
afterAll(async () => {
  await env.close();
});

const severities = (env: LeadEnv): string[] => env.logs.lines.map((line) => (JSON.parse(line) as { severity?: string }).severity ?? '');
const SEVERE = new Set(['ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY']);

describe('a trigger for a thread the store does not have', () => {
  it('when 20 made-up thread ids are triggered, then 20 × 404 not_found, no lease, no Cloud Task and no ERROR line', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `cthr_madeup_${randomUUID().slice(0, 8)}_${i}`);
    const responses = await Promise.all(
      ids.map((threadId, i) => env.trigger({ threadId, reason: (['idle', 'pagehide', 'chat_closed', 'auto'] as const)[i % 4] })),
    );

    expect(responses.map((r) => r.status)).toEqual(ids.map(() => 404));
    for (const response of responses) {
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    }
    // Nothing was scheduled: neither an evaluation nor a safety net, now or later.
    expect(env.cloud.tasks.list(env.queue)).toEqual([]);
    expect(env.cloud.tasks.finished(env.queue)).toEqual([]);
    for (const threadId of ids) expect(await env.record(threadId)).toBeNull();
    expect(env.summaryCalls()).toBe(0);
    expect(env.stub.requests).toHaveLength(0);
    expect(severities(env).filter((severity) => SEVERE.has(severity))).toEqual([]);
    // Each one is still visible in the logs, at INFO.
    await waitFor(async () => ids.every((id) => env.logs.lines.some((line) => line.includes(id))));
  });

  it('when the lead was sent and the thread has since left the store, then the fast path still answers already_sent', async () => {
    const threadId = await env.seed(
      chatThread(`cthr_gone_${randomUUID().slice(0, 8)}`, [
        userMessage('The headliner in my 2011 Jeep is sagging. Call me, Sam, 650-555-0110'),
        assistantMessage('We can fix that. The shop will call you.'),
      ]),
    );
    await env.trigger({ threadId, reason: 'idle' });
    await waitFor(async () => (await env.state(threadId)) === 'sent');
    await env.threads.deleteThread(threadId); // deleted by its visitor, or expired

    const response = await env.trigger({ threadId, reason: 'pagehide' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, sent: true, reason: 'already_sent' });
  });
});
