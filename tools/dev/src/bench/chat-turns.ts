/** Chat benchmarks: time to first streamed token, through our server and straight at the model. */
import { readdir, readFile } from 'node:fs/promises';

const firstMatch = async (response: Response, needle: string): Promise<void> => {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended before ${needle}`);
    seen += decoder.decode(value, { stream: true });
    if (seen.includes(needle)) break;
  }
  // Drain the rest so the turn completes (and is persisted) before the next one.
  for (;;) if ((await reader.read()).done) break;
};

/** ms until the first `text_delta` frame of a new thread through `/api/chatkit`. */
export async function chatKitFirstToken(sessionUrl: string, origin: string, user: string): Promise<number> {
  const minted = (await (
    await fetch(`${sessionUrl}/api/chatkit/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ user, locale: 'en' }),
    })
  ).json()) as { token: string };
  const t0 = performance.now();
  const response = await fetch(`${sessionUrl}/api/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${minted.token}` },
    body: JSON.stringify({
      type: 'threads.create',
      params: {
        input: { content: [{ type: 'input_text', text: 'My driver seat is torn, can you help?' }], attachments: [], inference_options: {} },
      },
      metadata: {},
    }),
  });
  let elapsed = 0;
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let seen = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (!elapsed && seen.includes('content_part.text_delta')) elapsed = performance.now() - t0;
  }
  if (!elapsed) throw new Error('no streamed token through /api/chatkit');
  return elapsed;
}

/** ms until the first `response.output_text.delta` straight from the model endpoint (the floor). */
export async function directFirstToken(openaiBaseUrl: string): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(`${openaiBaseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-local-dev-key' },
    body: JSON.stringify({
      model: 'gpt-4.1-mini',
      stream: true,
      input: [{ role: 'user', content: 'My driver seat is torn, can you help?' }],
    }),
  });
  await firstMatch(response, 'response.output_text.delta');
  return performance.now() - t0;
}

/**
 * CPU seconds of a process so far, every thread (Linux /proc): each thread's schedstat counts its
 * time on a CPU in nanoseconds, where /proc/<pid>/stat counts 10 ms ticks.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  let ns = 0;
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    try {
      ns += Number((await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')).split(' ')[0]);
    } catch {
      // the thread ended while we listed them; its time is gone from the total either way
    }
  }
  return ns / 1e9;
}
