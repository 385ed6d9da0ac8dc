/**
 * `npm run bench`: latency of the public endpoints with the real services (started from their
 * entry points) on the local stand-ins. Loopback only; bounded request counts.
 *   --requests N (default 300)  --concurrency C (default 4)  --json
 *   --only endpoints|chat|mint|lead (one part, while iterating)
 *   --lead-runs N (default 30): lead emails timed against their floor (the lead part, lead-bench.ts)
 *   --cpu-prof DIR (both services and the minting floor write a .cpuprofile there, named by pid; the session pid is printed)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FirestoreThreadStore } from '@lead-intake/shared';
import { assistantMessage, chatThread, seedThread, userMessage } from '../fixtures/index.js';
import { startLocalStack, type LocalStack } from '../local-stack/start-local-stack.js';
import { localFirestoreClient } from '../testing/firestore-client.js';
import { chatKitFirstToken, cpuSeconds, directFirstToken } from './chat-turns.js';
import { measure, percentile, summarize, type LatencySummary } from './latency.js';
import { leadBenchmarks, type LeadBenchResult } from './lead-bench.js';
import type { LatencyStats } from './lead-delivery.js';

const ORIGIN = 'http://localhost:5000';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '4' },
      json: { type: 'boolean', default: false },
      only: { type: 'string' },
      'lead-runs': { type: 'string', default: '30' },
      'cpu-prof': { type: 'string' },
    },
  });
  const parts = ['endpoints', 'chat', 'mint', 'lead'] as const;
  if (values.only !== undefined && !parts.includes(values.only as (typeof parts)[number])) {
    throw new Error(`--only takes one of ${parts.join(', ')}`);
  }
  const runs = (part: (typeof parts)[number]) => values.only === undefined || values.only === part;
  const total = Math.min(5000, Math.max(10, Number(values.requests)));
  const concurrency = Math.min(32, Math.max(1, Number(values.concurrency)));
  const leadRuns = Math.min(500, Math.max(5, Number(values['lead-runs'])));
  const onServiceExit = (name: string, code: number | null) => {
    console.error(`${name} exited (${code}) during the benchmark; run npm run dev to see why.`);
    process.exit(1);
  };
  const run = `${Date.now().toString(36)}`;

  const results: Record<string, LatencySummary & { failures: number }> = {};
  let chat: Awaited<ReturnType<typeof chatBenchmarks>> | undefined;
  let mint: Awaited<ReturnType<typeof mintVersusFloor>> | undefined;
  let leadPart: LeadBenchResult | undefined;
  let firestore: string | undefined;
  if (parts.some((part) => part !== 'lead' && runs(part))) {
    const profilerOptions = values['cpu-prof'] ? `--cpu-prof --cpu-prof-dir=${values['cpu-prof']}` : undefined;
    const stack = await startLocalStack({
      ports: { session: 0, lead: 0, firestore: 0, ses: 0, openai: 0, cloudGrpc: 0, cloudHttp: 0 },
      allowedOrigins: [ORIGIN],
      serviceOutput: 'ignore',
      onServiceExit,
      serviceEnv: {
        RATE_LIMIT_PER_MINUTE: '100000',
        CHATKIT_RATE_LIMIT_PER_MINUTE: '100000',
        LIMIT_MESSAGES_PER_MINUTE_PER_IP: '100000',
        LOG_LEVEL: 'warn',
        // Keep the queued evaluations from running during the measurement.
        LEAD_AUTO_DELAY_SECONDS: '300',
        LEAD_SAFETY_NET_DELAY_SECONDS: '3600',
        ...(profilerOptions ? { NODE_OPTIONS: profilerOptions } : {}),
      },
    });
    try {
      await stack.ready();
      if (values['cpu-prof'])
        console.error(
          `session service pid ${stack.pids.session}: its profile is ${values['cpu-prof']}/CPU.*.${stack.pids.session}.*.cpuprofile`,
        );
      const post = (url: string, body: unknown) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });
      const session = `${stack.urls.session}/api/chatkit/session`;
      const lead = `${stack.urls.lead}/api/chatkit/lead`;

      const scenarios: Array<[string, (i: number) => Promise<Response>]> = [
        [
          'session: mint a visitor token',
          (i) => post(session, { user: `anon_bench_${run}_${i}`, locale: 'es-MX', pageUrl: 'https://shop.example/es/' }),
        ],
        ['lead: first trigger (lease + Cloud Task)', (i) => post(lead, { threadId: `cthr_bench_${run}_${i}`, reason: 'auto' })],
        ['lead: trigger while leased (in_progress)', (i) => post(lead, { threadId: `cthr_bench_${run}_${i}`, reason: 'idle' })],
      ];
      if (runs('endpoints')) {
        // The lead service answers 404 for threads the store does not have: seed the ones the triggers name.
        await seedBenchThreads(stack, run, [
          ...Array.from({ length: total }, (_, i) => i),
          ...Array.from({ length: 20 }, (_, i) => 1_000_000 + i),
        ]);
        // Warm-up: JIT, connection pools, Secret Manager cache.
        for (const [, request] of scenarios) await measure(20, 2, (i) => request(1_000_000 + i));

        for (const [name, request] of scenarios) {
          const { durations, wallMs, failures } = await measure(total, concurrency, request);
          results[name] = { ...summarize(durations, wallMs), failures };
        }

        // The already-sent fast path: one real lead first, then repeated triggers.
        const sentThread = 'cthr_fixture_seat_tear_en';
        await post(lead, { threadId: sentThread, reason: 'idle' });
        for (let i = 0; i < 200; i += 1) {
          const answer = (await (await post(lead, { threadId: sentThread, reason: 'pagehide' })).json()) as { reason: string };
          if (answer.reason === 'already_sent') break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const { durations, wallMs, failures } = await measure(total, concurrency, () =>
          post(lead, { threadId: sentThread, reason: 'pagehide' }),
        );
        results['lead: trigger after sent (fast path)'] = { ...summarize(durations, wallMs), failures };
      }

      if (runs('chat')) chat = await chatBenchmarks(stack.urls.session, stack.urls.openai, stack.pids.session, run);
      if (runs('mint'))
        mint = await mintVersusFloor(session, stack.pids.session, Math.max(total, MINT_ROUND_REQUESTS), concurrency, profilerOptions);
    } finally {
      await stack.stop();
    }
    firestore = stack.firestore.kind;
  }
  if (runs('lead')) leadPart = await leadBenchmarks({ origin: ORIGIN, run, deliveryRuns: leadRuns, onServiceExit });

  if (values.json) {
    console.log(
      JSON.stringify(
        { requests: total, concurrency, firestore: firestore ?? leadPart?.firestore, results, chat, mint, lead: leadPart },
        null,
        2,
      ),
    );
    return;
  }
  if (firestore) console.log(`\n${total} requests per scenario, ${concurrency} in flight, Firestore: ${firestore}\n`);
  const width = Math.max(0, ...Object.keys(results).map((name) => name.length));
  if (width > 0)
    console.log(
      `${'scenario'.padEnd(width)}  ${['p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s', 'failed'].map((h) => h.padStart(8)).join('')}`,
    );
  for (const [name, r] of Object.entries(results)) {
    const cells = [r.p50, r.p95, r.p99, r.max, r.perSecond].map((v) => v.toFixed(1).padStart(8)).join('');
    console.log(`${name.padEnd(width)}  ${cells}${String(r.failures).padStart(8)}`);
  }
  if (chat) {
    console.log('\ntime to first streamed token (p50 / p95 ms), through /api/chatkit vs straight at the stand-in:');
    for (const row of chat.firstToken) {
      console.log(
        `  model first-token delay ${String(row.modelDelayMs).padStart(4)} ms: chatkit ${row.chatkit.p50.toFixed(1)} / ${row.chatkit.p95.toFixed(1)}, direct ${row.direct.p50.toFixed(1)} / ${row.direct.p95.toFixed(1)}, ratio p50 ${row.ratioP50.toFixed(3)}× (goal ≤ 1.1×)`,
      );
    }
    console.log(`session service CPU per chat turn: ${chat.cpuMsPerTurn.toFixed(2)} ms (${chat.turns} turns)`);
  }
  if (mint) {
    console.log(
      `token minting throughput: service ${mint.service.toFixed(0)} req/s vs bare Express signing the same token ${mint.floor.toFixed(0)} req/s (medians); median paired-round ratio ${mint.ratio.toFixed(3)}× (wall clock, goal ≥ 0.85×)`,
    );
    console.log(
      `token minting per CPU-second: service ${(1e6 / mint.cpuMicros.service).toFixed(0)} vs bare Express ${(1e6 / mint.cpuMicros.floor).toFixed(0)} (${mint.cpuMicros.service.toFixed(0)} vs ${mint.cpuMicros.floor.toFixed(0)} µs CPU per request); median paired-round ratio ${mint.cpuRatio.toFixed(3)}×`,
    );
  }
  if (leadPart) printLead(leadPart);
}

function printLead({ firestore, autoDelaySeconds, delivery, summaryCalls }: LeadBenchResult): void {
  const ms = (s: LatencyStats) => `p50 ${s.p50.toFixed(1)} / p95 ${s.p95.toFixed(1)} / max ${s.max.toFixed(1)} ms`;
  console.log(
    `\nlead email, from a pagehide trigger (contact and need known) to SES accepting it, ${delivery.runs} runs one at a time (Firestore: ${firestore}):`,
  );
  console.log(`  lead service                                  ${ms(delivery.service)}`);
  console.log(`  floor: one summary call + one SendRawEmail    ${ms(delivery.floor)}`);
  console.log(
    `  service / floor, p50: ${delivery.ratioP50.toFixed(2)}× (what the trigger, Cloud Task, Firestore writes and rendering add; issue 15 sets no number)`,
  );
  const { conversations, ours, seed, ratio } = summaryCalls;
  console.log(
    `summary calls, ${conversations.length} conversation fixtures replayed turn by turn (auto after each turn, then idle, pagehide; LEAD_AUTO_DELAY_SECONDS=${autoDelaySeconds}):`,
  );
  console.log(
    `  ours ${ours}, seed 000's one call per trigger until the lead is sent ${seed}: ${ratio.toFixed(2)}× (goal ≤ 0.3×; per conversation in --json)`,
  );
}

/** One short conversation per benchmark thread id, written through the real thread store. */
async function seedBenchThreads(stack: LocalStack, run: string, indexes: number[]): Promise<void> {
  const db = localFirestoreClient({ projectId: stack.projectId, hostPort: stack.firestore.hostPort });
  try {
    const store = new FirestoreThreadStore(db, { retentionMs: 86_400_000 });
    for (let start = 0; start < indexes.length; start += 20) {
      await Promise.all(
        indexes
          .slice(start, start + 20)
          .map((i) =>
            seedThread(store, chatThread(`cthr_bench_${run}_${i}`, [userMessage('My seat is torn'), assistantMessage('What car is it?')])),
          ),
      );
    }
  } finally {
    await db.terminate();
  }
}

const TURNS = 40;
const WARM_TURNS = 10;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function setModelDelay(openaiBaseUrl: string, ms: number): Promise<void> {
  const control = openaiBaseUrl.replace(/\/v1$/, '');
  await fetch(`${control}/__stub/faults`, { method: 'DELETE' });
  if (ms > 0) {
    const answer = await fetch(`${control}/__stub/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: 'POST /v1/responses', kind: 'slow_first_token', ms, times: 'always' }),
    });
    if (!answer.ok) throw new Error(`stand-in refused the delay fault: ${answer.status}`);
  }
}

/** First-token latency with the stand-in answering at once and with a model-like first-token delay. */
async function chatBenchmarks(sessionUrl: string, openaiBaseUrl: string, sessionPid: number | undefined, run: string) {
  const firstToken = [];
  let cpuMsPerTurn = Number.NaN;
  for (const modelDelayMs of [0, 300]) {
    await setModelDelay(openaiBaseUrl, modelDelayMs);
    // Enough turns that the JIT has compiled the turn's path (its compiler threads count as CPU).
    for (let i = 0; i < WARM_TURNS; i += 1) await chatKitFirstToken(sessionUrl, ORIGIN, `anon_bench_warm_${run}_${modelDelayMs}_${i}`);
    const chatkit: number[] = [];
    const direct: number[] = [];
    const cpuBefore = sessionPid ? await cpuSeconds(sessionPid) : 0;
    // Interleaved, so both sides see the same machine (other processes come and go); each call
    // starts once the previous turn's after-work (its last write, the lead trigger) is done.
    for (let i = 0; i < TURNS; i += 1) {
      await settle();
      chatkit.push(await chatKitFirstToken(sessionUrl, ORIGIN, `anon_bench_${run}_${modelDelayMs}_${i}`));
      await settle();
      direct.push(await directFirstToken(openaiBaseUrl));
    }
    if (modelDelayMs === 0 && sessionPid) cpuMsPerTurn = (((await cpuSeconds(sessionPid)) - cpuBefore) * 1000) / TURNS;
    const stats = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    const c = stats(chatkit);
    const d = stats(direct);
    firstToken.push({ modelDelayMs, chatkit: c, direct: d, ratioP50: c.p50 / d.p50 });
  }
  await setModelDelay(openaiBaseUrl, 0);
  return { firstToken, cpuMsPerTurn, turns: TURNS };
}

const MINT_WARMUP = 1000;
const MINT_ROUNDS = 9;
/** Long enough that one GC pause or one busy moment of another process is not most of a round. */
const MINT_ROUND_REQUESTS = 1500;

/**
 * Minting of the real service vs a bare Express route that signs the same token, as wall-clock
 * throughput and as CPU per request (requests per CPU-second is a Cloud Run instance's capacity;
 * on this shared 2-core machine, where the load generator takes a core too, the wall-clock rate
 * of the same commit swings by a third between runs, the CPU cost by a few percent).
 */
async function mintVersusFloor(
  sessionMintUrl: string,
  sessionPid: number | undefined,
  total: number,
  concurrency: number,
  /** The services' profiler flags, so the floor's profile sits beside theirs. */
  profilerOptions: string | undefined,
) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bare-mint-server.ts', import.meta.url))], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '0', ...(profilerOptions ? { NODE_OPTIONS: profilerOptions } : {}) },
  });
  try {
    const [line] = (await once(child.stdout, 'data')) as [Buffer];
    const floorUrl = `http://127.0.0.1:${line.toString().trim()}/mint`;
    // A returning visitor's mint, as the widget sends one at every page view and token refresh:
    // its id and the proof it was given (the service checks the proof; the floor ignores it).
    const { user, proof } = (await (
      await fetch(sessionMintUrl, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: '{}' })
    ).json()) as { user: string; proof: string };
    const body = JSON.stringify({ user, proof, locale: 'es-MX', pageUrl: 'https://shop.example/es/' });
    const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body });
    const sides = [
      ['floor', floorUrl, child.pid],
      ['service', sessionMintUrl, sessionPid],
    ] as const;
    // Both processes warmed alike first (the JIT has more code to compile on the service side).
    for (const [, url] of sides) await measure(MINT_WARMUP, concurrency, () => post(url));
    // Paired rounds, alternating which side goes first; each round's ratio compares the two sides
    // in the same few seconds, and the median round is the answer, so neither a quiet nor a busy
    // moment of the machine decides it.
    const rounds: Array<{ service: number; floor: number; serviceCpuMicros: number; floorCpuMicros: number }> = [];
    for (let round = 0; round < MINT_ROUNDS; round += 1) {
      const row = { service: 0, floor: 0, serviceCpuMicros: 0, floorCpuMicros: 0 };
      for (const [name, url, pid] of round % 2 === 0 ? sides : [...sides].reverse()) {
        await measure(50, concurrency, () => post(url));
        const cpuBefore = pid ? await cpuSeconds(pid) : Number.NaN;
        const { durations, wallMs } = await measure(total, concurrency, () => post(url));
        const cpuAfter = pid ? await cpuSeconds(pid) : Number.NaN;
        row[name] = (durations.length / wallMs) * 1000;
        row[`${name}CpuMicros`] = ((cpuAfter - cpuBefore) * 1e6) / durations.length;
      }
      rounds.push(row);
    }
    const median = (values: number[]) =>
      percentile(
        [...values].sort((x, y) => x - y),
        50,
      );
    return {
      rounds,
      service: median(rounds.map((r) => r.service)),
      floor: median(rounds.map((r) => r.floor)),
      ratio: median(rounds.map((r) => r.service / r.floor)),
      cpuMicros: { service: median(rounds.map((r) => r.serviceCpuMicros)), floor: median(rounds.map((r) => r.floorCpuMicros)) },
      cpuRatio: median(rounds.map((r) => r.floorCpuMicros / r.serviceCpuMicros)),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
