import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { useProvided } from '@lead-intake/dev-tools/test-env/provided';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

/**
 * Sits in front of local SES and answers the first `failures` SendEmail calls the way SES does
 * when throttling (Query protocol, 400 + ErrorResponse/Throttling), then forwards.
 */
async function throttlingSesProxy(target: string) {
  let failuresLeft = 0;
  let throttled = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (failuresLeft > 0 && body.toString().includes('Action=SendEmail')) {
        failuresLeft -= 1;
        throttled += 1;
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type>' +
            '<Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error>' +
            '<RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>',
        );
        return;
      }
      const url = new URL(req.url ?? '/', target);
      const upstream = httpRequest(url, { method: req.method, headers: req.headers }, (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext: (count: number) => {
      failuresLeft = count;
    },
    throttled: () => throttled,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

let env: LeadEnv;
let proxy: Awaited<ReturnType<typeof throttlingSesProxy>>;
beforeAll(async () => {
  proxy = await throttlingSesProxy(useProvided('ses').endpoint);
  env = await startLeadEnv({ sesEndpoint: proxy.endpoint });
});
afterAll(async () => {
  await env.close();
  await proxy.close();
});

describe('SES throttling', () => {
  it('when SES throttles the first two sends, then Cloud Tasks retries and the shop gets exactly one email', async () => {
    const threadId = `cthr_ses_${Date.now().toString(36)}`;
    await env.seed(
      chatThread(threadId, [
        userMessage('Convertible top on my 2006 Mustang is ripped, need a new one. Jordan, 415-555-0166'),
        assistantMessage('We can replace it. Someone will call you.'),
      ]),
    );
    proxy.failNext(2);
    await env.trigger({ threadId, reason: 'idle' });

    await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
    await env.settle();
    expect(await env.emailsFor(threadId)).toHaveLength(1);
    expect(proxy.throttled()).toBe(2);
    const task = env.cloud.tasks.finished(env.queue).find((t) => t.attempts.length === 3);
    expect(task?.attempts.map((a) => a.httpStatus)).toEqual([503, 503, 200]);
    expect((await env.record(threadId))?.state).toBe('sent');
  });
});
