/**
 * `npm run bench`: latency of the public endpoints with the real services (started from their
 * entry points) on the local stand-ins. Loopback only; bounded request counts.
 *   --requests N (default 300)  --concurrency C (default 4)  --json
 */
import { parseArgs } from 'node:util';
import { startLocalStack } from '../local-stack/start-local-stack.js';
import { measure, summarize, type LatencySummary } from './latency.js';

const ORIGIN = 'http://localhost:5000';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '4' },
      json: { type: 'boolean', default: false },
    },
  });
  const total = Math.min(5000, Math.max(10, Number(values.requests)));
  const concurrency = Math.min(32, Math.max(1, Number(values.concurrency)));

  const stack = await startLocalStack({
    ports: { session: 0, lead: 0, firestore: 0, ses: 0, openai: 0, cloudGrpc: 0, cloudHttp: 0 },
    allowedOrigins: [ORIGIN],
    serviceOutput: 'ignore',
    onServiceExit: (name, code) => {
      console.error(`${name} exited (${code}) during the benchmark; run npm run dev to see why.`);
      process.exit(1);
    },
    serviceEnv: {
      RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
      // Keep the queued evaluations from running during the measurement.
      LEAD_AUTO_DELAY_SECONDS: '300',
      LEAD_SAFETY_NET_DELAY_SECONDS: '3600',
    },
  });
  const results: Record<string, LatencySummary & { failures: number }> = {};
  try {
    await stack.ready();
    const post = (url: string, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin: ORIGIN }, body: JSON.stringify(body) });
    const session = `${stack.urls.session}/api/chatkit/session`;
    const lead = `${stack.urls.lead}/api/chatkit/lead`;
    const run = `${Date.now().toString(36)}`;

    const scenarios: Array<[string, (i: number) => Promise<Response>]> = [
      ['session: mint a client secret', (i) => post(session, { user: `anon_bench_${run}_${i}`, locale: 'es-MX', pageUrl: 'https://shop.example/es/' })],
      ['lead: first trigger (lease + Cloud Task)', (i) => post(lead, { threadId: `cthr_bench_${run}_${i}`, reason: 'auto' })],
      ['lead: trigger while leased (in_progress)', (i) => post(lead, { threadId: `cthr_bench_${run}_${i}`, reason: 'idle' })],
    ];
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
    const { durations, wallMs, failures } = await measure(total, concurrency, () => post(lead, { threadId: sentThread, reason: 'pagehide' }));
    results['lead: trigger after sent (fast path)'] = { ...summarize(durations, wallMs), failures };
  } finally {
    await stack.stop();
  }

  if (values.json) {
    console.log(JSON.stringify({ requests: total, concurrency, firestore: stack.firestore.kind, results }, null, 2));
    return;
  }
  console.log(`\n${total} requests per scenario, ${concurrency} in flight, Firestore: ${stack.firestore.kind}\n`);
  const width = Math.max(...Object.keys(results).map((name) => name.length));
  console.log(`${'scenario'.padEnd(width)}  ${['p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'req/s', 'failed'].map((h) => h.padStart(8)).join('')}`);
  for (const [name, r] of Object.entries(results)) {
    const cells = [r.p50, r.p95, r.p99, r.max, r.perSecond].map((v) => v.toFixed(1).padStart(8)).join('');
    console.log(`${name.padEnd(width)}  ${cells}${String(r.failures).padStart(8)}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
