/**
 * The model-based scenarios: what a customer and their browser do (steps), the faults of a run,
 * playing them on a LeadWorld in virtual time, and the invariants every finished run must hold.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { ShopProfile } from '@lead-intake/shared';
import { AUTO_DELAY_MS, LeadWorld, MAX_SEND_MS, MAX_SUMMARY_MS, NO_FAULTS, SAFETY_NET_MS, type FaultPlan } from './lead-world.js';
import { SimClock } from './sim-clock.js';

const T0 = Date.parse('2026-12-07T17:00:00Z');
/** One evaluation at its slowest: a summary, then the send (Firestore is instant here). */
export const ONE_EVALUATION_MS = MAX_SUMMARY_MS + MAX_SEND_MS;

type MessageKind = 'need' | 'phone' | 'email' | 'need_and_phone' | 'chat' | 'shop_number';
const MESSAGES: Record<MessageKind, readonly string[]> = {
  need: [
    'My patio sofa cushions are torn',
    'El asiento del conductor está roto',
    'Ghế sofa của tôi bị rách',
    '我的沙发坐垫破了',
    'الكنبة عندي ممزقة',
  ],
  phone: [
    'call me at (650) 555-0101',
    'my number: 650.555.0102',
    'reach me on +1 650 555 0103',
    'ＴＥＬ ６５０－５５５－０１０４',
    'mi número es 650 555 0105',
    'gọi cho tôi 650-555-0106',
    '电话 650 555 0107',
    'اتصل بي 650-555-0108',
  ],
  email: ['ana@example.com', 'write to Ana.Lopez+sofa@Example.org', 'escríbeme a maria@example.es', 'メール: taro@example.jp'],
  need_and_phone: ['The seat of my 2018 Civic is ripped, text me 650-555-0111', 'Mi sofá está roto, llámame al 650 555 0112'],
  chat: ['thanks', 'how much would that be?', 'are you open on Saturday?', 'ok'],
  shop_number: ['is (408) 555-0142 your number?'],
};

type Step =
  | { do: 'say'; kind: MessageKind; variant: number; afterMs: number }
  | { do: 'reload' | 'close_and_reopen' | 'idle' | 'leave'; afterMs: number }
  | { do: 'two_tabs'; afterMs: number };

export interface Scenario {
  steps: Step[];
  faults: FaultPlan;
  seed: number;
}

const gap = fc.constantFrom(0, 500, 2_000, 8_000, 30_000, 120_000);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      do: fc.constant('say' as const),
      kind: fc.constantFrom(...(Object.keys(MESSAGES) as MessageKind[])),
      variant: fc.nat(20),
      afterMs: gap,
    }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('reload' as const), afterMs: gap }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('close_and_reopen' as const), afterMs: gap }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('idle' as const), afterMs: gap }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('two_tabs' as const), afterMs: gap }) },
);
const rate = fc.constantFrom(0, 0, 0.05, 0.15);
const faults: fc.Arbitrary<FaultPlan> = fc.oneof(
  fc.constant(NO_FAULTS),
  fc.record({ openai: rate, ses: rate, firestore: rate, cloudTasks: rate, lostBrowserTrigger: rate, duplicateDelivery: rate }),
);
export const scenario: fc.Arbitrary<Scenario> = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 10 }).map((steps) => [...steps, { do: 'leave' as const, afterMs: 1_000 }]),
  faults,
  seed: fc.nat(),
});

/** Plays the customer's steps on virtual time, then lets everything run out (the safety net included). */
export async function play(run: Scenario, shop: ShopProfile): Promise<LeadWorld> {
  const clock = new SimClock(T0);
  const world = new LeadWorld(clock, shop, run.faults, run.seed);
  let at = T0;
  let texts = 0;
  for (const next of run.steps) {
    at += next.afterMs;
    if (next.do === 'say') {
      // The composer waits for the answer: a message comes after the previous reply.
      const lastReply = world.conversation.messages.at(-1);
      at = Math.max(at, (lastReply?.role === 'assistant' ? lastReply.at : at) + 1);
      const variants = MESSAGES[next.kind];
      const text = `[${token((texts += 1))}] ${variants[next.variant % variants.length]}`;
      const need = next.kind === 'need' || next.kind === 'need_and_phone';
      clock.at(at, () => world.say(text, need));
      at += 4_000; // the reply is on its way
    } else if (next.do === 'idle') {
      at += 90_000;
      clock.at(at, () => world.browser('idle'));
    } else if (next.do === 'two_tabs') {
      clock.at(at, () => {
        world.browser('pagehide');
        world.browser('chat_closed');
      });
    } else {
      const reason = next.do === 'close_and_reopen' ? 'chat_closed' : 'pagehide';
      clock.at(at, () => world.browser(reason));
    }
    await clock.run(at);
  }
  await clock.run();
  return world;
}

/** Customer messages the conversation had at `at`. */
function customerBefore(world: LeadWorld, at: number): number {
  return world.conversation.messages.filter((message) => message.role === 'customer' && message.at <= at).length;
}

/** Letters only, so a message's tag never reads as part of a phone number. */
function token(n: number): string {
  let text = '';
  for (let rest = n; rest > 0; rest = Math.floor((rest - 1) / 26)) text = String.fromCharCode(97 + ((rest - 1) % 26)) + text;
  return `m-${text}`;
}

/** The invariants of one finished run; throws with what broke. */
export function check(world: LeadWorld): void {
  const mails = world.mailer.mailbox;
  const leads = mails.filter((mail) => !mail.subject.startsWith('Re: '));
  const record = world.record();
  const transcript = world.conversation.transcript();
  const customer = transcript.messages.filter((message) => message.role === 'customer');
  const everContact = world.contactIn(transcript);
  const alerts = world.critical();
  const faultFree = world.faultsHit.length === 0;

  // At most once, always: one lead email per conversation, each customer message in at most one email.
  expect(leads.length, 'lead emails').toBeLessThanOrEqual(1);
  for (const message of customer) {
    const tag = message.text.slice(0, message.text.indexOf(']') + 1);
    expect(mails.filter((mail) => mail.text.includes(tag)).length, `emails carrying ${tag}`).toBeLessThanOrEqual(1);
  }
  // No lead, no email.
  if (!everContact) expect(mails, 'emails for a conversation without contact').toEqual([]);

  // No summary call for a version already evaluated: none while the record holds a summary of that
  // very transcript, none once the lead email is sent (follow-ups need none).
  expect(
    world.summarizer.calls.filter((call) => call.alreadyRecorded),
    'summary calls for a transcript the record had already summarized',
  ).toEqual([]);
  if (faultFree) {
    // Without faults nothing is lost between the call and the record: one call per transcript.
    const fingerprints = world.summarizer.calls.map((call) => call.fingerprint);
    const duplicates = world.faultsHit.includes('duplicateDelivery');
    if (!duplicates) expect(fingerprints.length, 'summaries of the same transcript').toBe(new Set(fingerprints).size);
  }

  if (faultFree) {
    expect(alerts, 'CRITICAL lines in a run without faults').toEqual([]);
    expect(world.gaveUp(), 'tasks given up').toEqual([]);
  }
  // Documented gaps only with an operator alert: an unconfirmed send, a send SES refused for good, a task given up.
  const excused = alerts.length > 0 || world.gaveUp().length > 0 || world.faultsHit.includes('ses');
  // What the shop is owed: a trigger the lead service took in (not a 503 nobody retried, not one
  // that never arrived), or the server's own safety net.
  const heard = world.triggers.filter((seen) => seen.answer !== 'error');
  const leadOwed = heard.some((seen) => seen.shouldSend) || record?.safetyNetScheduled === true;

  if (everContact && leadOwed && !excused) {
    expect(leads, 'the lead email of a conversation with contact').toHaveLength(1);
    // Every customer message some trigger was heard for reached the shop, in the lead email or a follow-up.
    customer.forEach((message, index) => {
      const tag = message.text.slice(0, message.text.indexOf(']') + 1);
      const owed = heard.some((seen) => seen.version >= index + 1) || index < (leads[0] ? customerBefore(world, leads[0].at) : 0);
      if (owed)
        expect(
          mails.some((mail) => mail.text.includes(tag)),
          `${tag} in some email`,
        ).toBe(true);
    });
    expect(record?.lease ?? null, 'a lease left behind').toBeNull();
  }

  // Within the auto delay plus one evaluation (two if one was under way) of the first trigger that should send.
  const firstShould = world.triggers.find((seen) => seen.shouldSend);
  if (faultFree && firstShould) {
    const lead = leads[0];
    expect(lead, 'a lead email after a trigger that should send').toBeDefined();
    const late = (lead?.at ?? Infinity) - firstShould.at;
    expect(late, `ms from the first trigger that should send (${firstShould.reason} at v${firstShould.version})`).toBeLessThanOrEqual(
      AUTO_DELAY_MS + 2 * ONE_EVALUATION_MS + 1_000,
    );
  }
  // Never the safety net's doing when some trigger should have sent.
  if (faultFree && firstShould && leads[0]) expect(leads[0].at - T0).toBeLessThan(SAFETY_NET_MS);
}
