/**
 * CLI: `npm run stub:openai -w tools/dev -- --port 8788 [--host 127.0.0.1] [--api-key sk-...] [--fixtures DIR|none] [--quiet]`
 * Prints the base URL to point the services at (OPENAI_BASE_URL) and stops on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startOpenAIStub } from './server.js';

const USAGE = `Usage: stub:openai [--port 8788] [--host 127.0.0.1] [--api-key sk-...] [--fixtures DIR|none] [--quiet]

  --port      port to listen on (0 = any free port; default 8788)
  --host      interface to bind (default 127.0.0.1)
  --api-key   the only bearer key accepted (default: any key starting with "sk-")
  --fixtures  conversation fixtures whose lead summaries to pin by thread id
              (default: tools/dev/fixtures/conversations; "none" for none)
  --quiet     do not log requests

Serves POST /v1/responses (stream: true too); any other path answers 404 "Invalid URL", as the
  real API does (the retired /v1/chatkit/* routes included).

Control endpoints: GET/POST/DELETE /__stub/faults, GET/DELETE /__stub/requests, GET /__stub/health,
  GET/DELETE /__stub/summaries, GET/PUT/DELETE /__stub/summaries/{threadId} (pinned lead summaries)
  e.g. curl -X POST localhost:8788/__stub/faults -H 'content-type: application/json' \\
         -d '{"route":"POST /v1/responses","kind":"status","status":500,"times":1}'
       curl -X PUT localhost:8788/__stub/summaries/cthr_demo_1 -H 'content-type: application/json' \\
         -d '{"handoff_ready":false,"handoff_reason":"Pinned by hand."}'
  Stream faults (stream: true requests only): stream_error {after, mode: error_event|response_failed|drop},
  slow_first_token {ms}, slow_stream {deltaDelayMs}; see src/openai-stub/README.md.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '8788' },
        host: { type: 'string', default: '127.0.0.1' },
        'api-key': { type: 'string' },
        fixtures: { type: 'string', default: 'default' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65_535) {
    console.error(`--port must be an integer between 0 and 65535, got '${values.port}'.\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }

  const stub = await startOpenAIStub({
    port,
    host: values.host,
    apiKey: values['api-key'],
    fixtures: values.fixtures === 'none' ? false : values.fixtures,
    log: values.quiet ? undefined : (line) => console.log(line),
  });
  console.log(`OpenAI stub listening on ${stub.url}`);
  console.log(`OPENAI_BASE_URL=${stub.baseURL}`);
  console.log(`Routes: ${stub.routes.join(', ')}`);
  console.log(`Pinned lead summaries: ${stub.summaries.list().length} (GET ${stub.url}/__stub/summaries)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping OpenAI stub`);
    stub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('OpenAI stub did not close cleanly:', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('OpenAI stub failed to start:', err);
  process.exit(1);
});
