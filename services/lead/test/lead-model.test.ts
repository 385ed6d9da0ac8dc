/**
 * Model-based tests of what people really do, against the real use cases and state machine on
 * virtual time (test/model/): random sequences of customer messages (with and without contact,
 * several formats and languages), reloads, close and reopen, idle, two tabs, the session
 * service's `auto` triggers, duplicated and retried Cloud Tasks deliveries, and faults (OpenAI,
 * SES, Firestore, Cloud Tasks). Seeded: `LEAD_MODEL_SEED=<n>` replays a run, `LEAD_MODEL_RUNS`
 * changes how many; a failure prints the seed and the shrunk sequence.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultShopProfilePath, loadShopProfile, type ShopProfile } from '@lead-intake/shared';
import { AUTO_DELAY_MS, NO_FAULTS, POLICY } from './model/lead-world.js';
import { check, ONE_EVALUATION_MS, play, scenario, type Scenario } from './model/scenario.js';

const RUNS = Number(process.env.LEAD_MODEL_RUNS ?? 1500);
const SEED = Number(process.env.LEAD_MODEL_SEED ?? 20261207);

let shop: ShopProfile;
beforeAll(async () => {
  shop = await loadShopProfile(defaultShopProfilePath);
});

describe('the lead machine under what people really do (model-based, virtual time)', () => {
  it(`when ${RUNS} random conversations run with faults, then every invariant holds`, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (run) => {
        check(await play(run, shop));
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false, verbose: 1 },
    );
  }, 600_000);

  it('when a conversation goes: job, reload, the number, close, then the email leaves within the auto delay plus one evaluation of the close', async () => {
    const run: Scenario = {
      steps: [
        { do: 'say', kind: 'need', variant: 0, afterMs: 0 },
        { do: 'reload', afterMs: 5_000 },
        { do: 'say', kind: 'phone', variant: 0, afterMs: 5_000 },
        { do: 'close_and_reopen', afterMs: 6_000 },
      ],
      faults: NO_FAULTS,
      seed: 1,
    };
    const world = await play(run, shop);
    const close = world.triggers.find((seen) => seen.reason === 'chat_closed');
    const [lead, ...more] = world.mailer.mailbox;
    expect(more).toEqual([]);
    expect(close?.shouldSend).toBe(true);
    expect((lead?.at ?? Infinity) - (close?.at ?? 0)).toBeLessThanOrEqual(AUTO_DELAY_MS + ONE_EVALUATION_MS);
    expect(lead?.text).toContain('[m-a]');
    expect(lead?.text).toContain('[m-b]');
    check(world);
  });

  it('when the customer writes after the lead email, then one follow-up carries only that, a window later at most', async () => {
    const run: Scenario = {
      steps: [
        { do: 'say', kind: 'need_and_phone', variant: 0, afterMs: 0 },
        { do: 'close_and_reopen', afterMs: 10_000 },
        { do: 'say', kind: 'chat', variant: 1, afterMs: 20_000 },
        { do: 'say', kind: 'email', variant: 0, afterMs: 2_000 },
      ],
      faults: NO_FAULTS,
      seed: 2,
    };
    const world = await play(run, shop);
    const [lead, followUp, ...more] = world.mailer.mailbox;
    expect(more).toEqual([]);
    expect(followUp?.subject).toBe(`Re: ${lead?.subject}`);
    expect(followUp?.text).toContain('[m-b]');
    expect(followUp?.text).toContain('[m-c]');
    expect(followUp?.text).not.toContain('[m-a]');
    const lastMessage = world.conversation.messages.filter((message) => message.role === 'customer').at(-1);
    expect((followUp?.at ?? Infinity) - (lastMessage?.at ?? 0)).toBeLessThanOrEqual(POLICY.followUpWindowMs + 5_000 + ONE_EVALUATION_MS);
    check(world);
  });
});
