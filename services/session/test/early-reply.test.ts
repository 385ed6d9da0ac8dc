import { describe, expect, it } from 'vitest';
import { createLogger, defaultShopProfilePath, loadShopProfile, type ThreadStore } from '@lead-intake/shared';
import type { ThreadStreamEvent } from '@lead-intake/shared/chatkit';
import type { Agent as AgentPort, AgentTurn } from '../src/ports.js';
import type { ChatKitServer } from '../src/use-cases/chat-server.js';
import { chatServer } from '../src/wiring.js';
import { generousLimits, RecordingLeadTrigger } from './harness.js';
import { userInput } from './chatkit-client.js';

/** A store whose thread write waits for the test to settle it; nothing else is used by threads.create. */
function pendingWriteStore() {
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let n = 0;
  const store = {
    generateThreadId: () => `cthr_test_${(n += 1)}`,
    generateItemId: () => `cthi_test_${(n += 1)}`,
    threadsStartedOn: async () => 0,
    createThreadWithinDailyCap: () => new Promise<boolean>((resolve, reject) => (settle = { resolve: () => resolve(true), reject })),
    addItem: async () => undefined,
  } as unknown as ThreadStore;
  return { store, settle: () => settle };
}

/** An agent that records its turn and answers once the test lets it. */
function gatedAgent() {
  const turns: AgentTurn[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const agent: AgentPort = {
    async *streamReply(turn) {
      turns.push(turn);
      await Promise.race([released, new Promise((resolve) => turn.signal.addEventListener('abort', resolve))]);
      if (turn.signal.aborted) return;
      yield 'Hello';
      yield ' there';
    },
  };
  return { agent, turns, release };
}

async function server(store: ThreadStore, agent: AgentPort) {
  return chatServer({
    store,
    agent,
    leadTrigger: new RecordingLeadTrigger(),
    shop: await loadShopProfile(defaultShopProfilePath),
    limits: generousLimits,
    historyItems: 40,
    historyChars: 16_000,
    now: () => new Date(),
  });
}

const visitor = { user: 'anon_early_reply_1', logId: 'log-id-early-1', locale: 'en', pageUrl: null, ip: '127.0.0.1' };
const request = { type: 'threads.create' as const, params: { input: userInput('My seat is torn') }, metadata: {} };
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

async function openStream(chat: ChatKitServer): Promise<AsyncGenerator<ThreadStreamEvent>> {
  const result = await chat.process(request as never, {
    visitor,
    signal: new AbortController().signal,
    log: createLogger({ level: 'silent', service: 'test' }),
  });
  if (result.kind !== 'stream') throw new Error('expected a stream');
  return result.events;
}

describe('the model call during the turn write', () => {
  it('when a thread is created, then the model is already asked while the write is pending, and nothing streams before it lands', async () => {
    const { store, settle } = pendingWriteStore();
    const { agent, turns, release } = gatedAgent();
    const events = await openStream(await server(store, agent));
    const first = events.next();
    await tick();
    expect(turns.map((turn) => turn.history)).toEqual([[{ role: 'user', text: 'My seat is torn' }]]);
    let streamed = false;
    void first.then(() => (streamed = true));
    release();
    await tick();
    expect(streamed).toBe(false);
    settle()?.resolve();
    const types = [(await first).value?.type];
    for await (const event of events) types.push(event.type === 'thread.item.updated' ? event.update.type : event.type);
    expect(types.slice(0, 3)).toEqual(['thread.created', 'thread.item.done', 'stream_options']);
    expect(types.filter((type) => type.endsWith('text_delta'))).toHaveLength(2);
  });

  it('when the thread write fails, then the model call is stopped and the turn fails before any event', async () => {
    const { store, settle } = pendingWriteStore();
    const { agent, turns } = gatedAgent();
    const events = await openStream(await server(store, agent));
    const first = events.next();
    await tick();
    settle()?.reject(new Error('firestore down'));
    await expect(first).rejects.toThrow('firestore down');
    expect(turns[0]?.signal.aborted).toBe(true);
  });
});
