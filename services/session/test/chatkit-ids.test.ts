import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsonError, startTestService, type TestService } from './harness.js';
import { userInput, type ChatKitTestClient } from './chatkit-client.js';

let service: TestService;
let visitor: ChatKitTestClient;
let threadId: string;
let itemId: string;
beforeAll(async () => {
  service = await startTestService();
  visitor = await service.visitor();
  const created = await visitor.stream('threads.create', { input: userInput('Hello') });
  threadId = (created.events[0] as { thread: { id: string } }).thread.id;
  itemId = (created.events[1] as { item: { id: string } }).item.id;
});
afterAll(async () => {
  await service.close();
});

const errorLines = () =>
  service.logs.lines.filter((line) => ['ERROR', 'CRITICAL'].includes((JSON.parse(line) as { severity?: string }).severity ?? ''));

/** Ids that are not ours: Firestore path separators and reserved names, lone surrogates, other prefixes. */
const badIds = [
  'cthr_a/b',
  'a/b/c',
  '__proto__',
  '__name__',
  'constructor',
  '.',
  '..',
  'cthr_\ud800',
  '\udfff',
  'cthr_x'.padEnd(200, 'x'),
  'cthr_ has space',
];

describe('ids at the protocol edge', () => {
  const requests: Array<[string, string, (bad: string) => unknown]> = [
    ['threads.get_by_id', 'params.thread_id', (bad) => ({ thread_id: bad })],
    ['items.list', 'params.thread_id', (bad) => ({ thread_id: bad })],
    ['items.list', 'params.after', (bad) => ({ thread_id: threadId, after: bad })],
    ['threads.list', 'params.after', (bad) => ({ after: bad })],
    ['threads.update', 'params.thread_id', (bad) => ({ thread_id: bad, title: 'x' })],
    ['threads.delete', 'params.thread_id', (bad) => ({ thread_id: bad })],
    ['items.feedback', 'params.item_ids', (bad) => ({ thread_id: threadId, item_ids: [bad], kind: 'positive' })],
    ['threads.add_user_message', 'params.thread_id', (bad) => ({ thread_id: bad, input: userInput('hi') })],
    ['threads.retry_after_item', 'params.item_id', (bad) => ({ thread_id: threadId, item_id: bad })],
    ['threads.retry_after_item', 'params.thread_id', (bad) => ({ thread_id: bad, item_id: itemId })],
    ['threads.custom_action', 'params.thread_id', (bad) => ({ thread_id: bad, action: { type: 'x' } })],
  ];

  it.each(requests)(
    'when %s names an id that is not ours in %s, then 400 invalid_request naming the field, never a 5xx',
    async (type, field, params) => {
      for (const bad of badIds) {
        const message = await expectJsonError(await visitor.request(type, params(bad)), 400, 'invalid_request');
        expect(message).toContain(field);
      }
      expect(errorLines()).toEqual([]);
    },
  );

  it('when ids are ours, then the same requests work', async () => {
    expect((await visitor.getThread(threadId)).id).toBe(threadId);
    expect((await visitor.listItems(threadId, { after: itemId, order: 'asc' })).data.length).toBeGreaterThan(0);
    expect((await visitor.listThreads({ after: threadId })).data).toEqual([]);
  });
});

describe('the Authorization scheme', () => {
  it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])(
    'when the scheme is written "%s", then the token is accepted (RFC 7235)',
    async (scheme) => {
      const response = await visitor.request('threads.list', {}, { token: null, headers: { authorization: `${scheme} ${visitor.token}` } });
      expect(response.status).toBe(200);
    },
  );

  it('when the scheme is another one, then 401', async () => {
    await expectJsonError(
      await visitor.request('threads.list', {}, { token: null, headers: { authorization: `Basic ${visitor.token}` } }),
      401,
      'unauthorized',
    );
  });
});
