import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultShopProfilePath, loadShopProfile, type ShopProfile } from '@lead-intake/shared';
import {
  loadConversationFixtures,
  seedFixtureThreads,
  toHostedFixture,
  type ConversationFixture,
} from '@lead-intake/dev-tools/fixtures/index';
import { ThreadStoreReader } from '../src/adapters/thread-store-reader.js';
import { transcriptFromChatKit } from '../src/domain/chatkit-transcript.js';
import { contactOptionsFor, extractContact } from '../src/domain/contact-extraction.js';
import type { Summarizer } from '../src/ports.js';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

const fixtures: ConversationFixture[] = await loadConversationFixtures();
const summaryCalls = new Map<string, number>();
const callsFor = (threadId: string) => summaryCalls.get(threadId) ?? 0;
const hasContact = (f: ConversationFixture) => f.expect.emails.length + f.expect.phones.length > 0;

let env: LeadEnv;
let shop: ShopProfile;
beforeAll(async () => {
  shop = await loadShopProfile(defaultShopProfilePath);
  env = await startLeadEnv({
    wrapSummarizer: (inner): Summarizer => ({
      summarize: (input) => {
        summaryCalls.set(input.transcript.threadId, callsFor(input.transcript.threadId) + 1);
        return inner.summarize(input);
      },
    }),
  });
  // Every fixture under its own id (cthr_fixture_<name>), as the local stack seeds them.
  await seedFixtureThreads(env.threads, fixtures);
});
afterAll(async () => {
  await env.close();
});

const settled = async (threadId: string) => {
  await waitFor(async () => {
    const state = await env.state(threadId);
    return state !== null && state !== 'leased';
  });
};

describe('conversation fixtures', () => {
  it('there are at least 20 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'when the thread %s is read from the Firestore thread store, then the customer contact matches the fixture',
    async (_name, fixture) => {
      const transcript = await new ThreadStoreReader(env.threads).fetchTranscript(fixture.thread.id);
      const contact = extractContact(transcript, contactOptionsFor(shop));
      expect(contact).toEqual({ emails: fixture.expect.emails, phones: fixture.expect.phones });
    },
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'when %s comes as a hosted ChatKit export instead, then it reads as the same transcript',
    async (_name, fixture) => {
      const stored = await new ThreadStoreReader(env.threads).fetchTranscript(fixture.thread.id);
      const hosted = toHostedFixture(fixture);
      const exported = transcriptFromChatKit(hosted.thread, hosted.items);
      // Our timestamps may carry milliseconds; the hosted export has whole seconds.
      const shape = (t: typeof stored) => t.messages.map(({ createdAt, ...message }) => ({ ...message, createdAt: Math.floor(createdAt) }));
      expect(shape(exported)).toEqual(shape(stored));
      expect(exported.threadId).toBe(stored.threadId);
    },
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'when %s goes idle, then it is emailed once if and only if it has contact, with one summary call per email',
    async (_name, fixture) => {
      const threadId = await env.seedFixture(fixture, 'idle');
      await env.trigger({ threadId, reason: 'idle' });
      await settled(threadId);
      const record = await env.record(threadId);
      if (hasContact(fixture)) {
        await waitFor(async () => (await env.emailsFor(threadId)).length === 1);
        expect(record?.lead).not.toBeNull();
        expect(callsFor(threadId)).toBe(1);
        const [email] = await env.emailsFor(threadId);
        expect(email?.replyTo).toEqual(fixture.expect.emails.slice(0, 1));
      } else {
        expect(record?.lastOutcome?.outcome).toBe('missing_contact');
        expect(callsFor(threadId)).toBe(0);
        expect(await env.emailsFor(threadId)).toHaveLength(0);
      }
    },
  );

  it.each(fixtures.map((f) => [f.name, f] as const))(
    'when %s gets two auto triggers on the same transcript, then summary calls follow the gating rules',
    async (_name, fixture) => {
      const threadId = await env.seedFixture(fixture, 'auto');
      await env.trigger({ threadId, reason: 'auto' });
      await settled(threadId);
      await env.trigger({ threadId, reason: 'auto' });
      await settled(threadId);
      const record = await env.record(threadId);

      if (!hasContact(fixture)) {
        expect(callsFor(threadId)).toBe(0); // no contact: never pay for a summary
        expect(record?.lastOutcome?.outcome).toBe('missing_contact');
      } else if (fixture.expect.handoffReady) {
        expect(callsFor(threadId)).toBe(1); // sent after the first; the second is already_sent
        expect(record?.lead).not.toBeNull();
      } else {
        expect(callsFor(threadId)).toBe(1); // the unchanged transcript is not summarized again
        expect(record?.lastOutcome?.outcome).toBe('not_ready');
        expect(await env.emailsFor(threadId)).toHaveLength(0);
      }
    },
  );
});
