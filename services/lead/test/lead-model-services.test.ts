/**
 * The model-based scenarios' smaller set through the real lead service on the local stand-ins
 * (HTTP triggers, the Cloud Tasks emulator with its retries, Firestore, SES, the OpenAI
 * stand-in): random customer messages, reloads, closes, two tabs and the session service's
 * `auto` triggers, in real time, one action after the pipeline settled from the last (two tabs
 * stay concurrent); then the same at-most-once / at-least-once invariants.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistantMessage, chatThread, userMessage } from '@lead-intake/dev-tools/fixtures/index';
import { startLeadEnv, waitFor, type LeadEnv } from './harness.js';

const RUNS = Number(process.env.LEAD_MODEL_SERVICE_RUNS ?? 6);
const SEED = Number(process.env.LEAD_MODEL_SEED ?? 20261207);

const TEXTS = {
  need: ['my patio cushions are torn', 'el asiento está roto', 'ghế sofa bị rách'],
  contact: ['call me at (650) 555-0131', 'mi número es 650 555 0132', 'ana.model@example.com'],
  chat: ['thanks', 'how much?', 'are you open Saturday?'],
} as const;

type Action =
  | { do: 'say'; kind: keyof typeof TEXTS; variant: number }
  | { do: 'browser'; reason: 'pagehide' | 'chat_closed' | 'idle' }
  | { do: 'two_tabs' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ do: fc.constant('say' as const), kind: fc.constantFrom('need', 'contact', 'chat'), variant: fc.nat(2) }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('browser' as const), reason: fc.constantFrom('pagehide', 'chat_closed', 'idle') }) },
  { weight: 1, arbitrary: fc.constant({ do: 'two_tabs' as const }) },
);

let env: LeadEnv;
beforeAll(async () => {
  env = await startLeadEnv({ followUpWindowSeconds: 2 });
});
afterAll(async () => {
  await env.close();
});

/**
 * Everything due has run (evaluations, follow-up windows, retries) and no lease is held. Between
 * actions, because the local Firestore does not isolate concurrent transactions: a trigger racing
 * a task's write can lose an update there that production Firestore would serialize (the random
 * interleavings are the virtual-time model's job, on a store that applies each step atomically).
 */
async function settled(threadId: string): Promise<void> {
  await env.settle(20_000);
  await waitFor(async () => ((await env.record(threadId))?.lease ?? null) === null, 30_000, 'no lease');
}

let runs = 0;
async function play(actions: Action[]): Promise<void> {
  const threadId = `cthr_modelsvc_${Date.now().toString(36)}_${(runs += 1)}`;
  await env.seed(chatThread(threadId, [assistantMessage('Hi! How can we help?')]));
  const tags: string[] = [];
  const hasContact = () => tags.some((tag) => tag.includes('contact'));
  const trigger = (reason: 'auto' | 'pagehide' | 'chat_closed' | 'idle') => env.trigger({ threadId, reason }).then((r) => r.status);
  for (const next of [...actions, { do: 'browser', reason: 'pagehide' } as const]) {
    if (next.do === 'say') {
      const tag = `[t${tags.length}-${next.kind}]`;
      tags.push(tag);
      await env.append(threadId, [userMessage(`${tag} ${TEXTS[next.kind][next.variant]}`), assistantMessage('Thanks, noted.')]);
      expect(await trigger('auto')).toBe(200); // the session service's task after the answer
    } else if (next.do === 'two_tabs') {
      expect(await Promise.all([trigger('pagehide'), trigger('chat_closed')])).toEqual([200, 200]);
    } else {
      expect(await trigger(next.reason)).toBe(200);
    }
    await settled(threadId);
  }

  const mails = await env.emailsFor(threadId);
  const leads = mails.filter((mail) => !mail.subject.startsWith('Re: '));
  expect(leads.length, 'lead emails').toBe(hasContact() ? 1 : 0);
  for (const tag of tags) {
    const carrying = mails.filter((mail) => (mail.body.text ?? '').includes(tag)).length;
    // Each customer message at most once; once there is a lead, every one of them reached the shop.
    expect(carrying, `emails carrying ${tag}`).toBe(hasContact() ? 1 : 0);
  }
  for (const followUp of mails.filter((mail) => mail.subject.startsWith('Re: '))) {
    expect(followUp.subject).toBe(`Re: ${leads[0]?.subject}`);
  }
}

describe('the lead machine through the real services (model-based, a smaller set)', () => {
  it(`when ${RUNS} random conversations run through HTTP and the local stand-ins, then each customer message reaches the shop exactly once`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 6 }), async (actions) => {
        await play(actions);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 300_000);
});
