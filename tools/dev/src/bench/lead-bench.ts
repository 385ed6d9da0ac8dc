/**
 * `npm run bench -- --only lead`: the lead email's delivery time against its floor, and summary
 * calls per conversation against seed 000's policy, on a local stack of their own with the lead
 * timings of `npm run dev` (safety net 300 s, follow-up window 30 s) except the `auto` delay.
 */
import { loadConversationFixtures } from '../fixtures/index.js';
import { startLocalStack } from '../local-stack/start-local-stack.js';
import { deliveryVersusFloor, type DeliveryResult } from './lead-delivery.js';
import { LeadProbe } from './lead-probe.js';
import { summaryCallsOnFixtures, type SummaryCallsResult } from './lead-summary-calls.js';

/**
 * The replay waits for every turn's evaluation, so the `auto` delay (default 5 s) only adds
 * waiting; it changes no count. Delivery is timed from `pagehide`, which no delay applies to.
 */
const REPLAY_AUTO_DELAY_SECONDS = 1;

export interface LeadBenchResult {
  firestore: string;
  autoDelaySeconds: number;
  delivery: DeliveryResult;
  summaryCalls: SummaryCallsResult;
}

export async function leadBenchmarks(options: {
  origin: string;
  run: string;
  deliveryRuns: number;
  onServiceExit: (name: string, code: number | null) => void;
}): Promise<LeadBenchResult> {
  const stack = await startLocalStack({
    ports: { session: 0, lead: 0, firestore: 0, ses: 0, openai: 0, cloudGrpc: 0, cloudHttp: 0 },
    allowedOrigins: [options.origin],
    serviceOutput: 'ignore',
    onServiceExit: options.onServiceExit,
    serviceEnv: {
      LOG_LEVEL: 'warn',
      // Every trigger comes from this one address; the public per-IP limit is not what is measured.
      RATE_LIMIT_PER_MINUTE: '100000',
      LEAD_AUTO_DELAY_SECONDS: String(REPLAY_AUTO_DELAY_SECONDS),
    },
  });
  let probe: LeadProbe | undefined;
  try {
    await stack.ready();
    probe = new LeadProbe(stack, options.origin);
    const delivery = await deliveryVersusFloor(stack, probe, options.run, options.deliveryRuns);
    const summaryCalls = await summaryCallsOnFixtures(probe, options.run, await loadConversationFixtures());
    return { firestore: stack.firestore.kind, autoDelaySeconds: REPLAY_AUTO_DELAY_SECONDS, delivery, summaryCalls };
  } finally {
    await probe?.close();
    await stack.stop();
  }
}
