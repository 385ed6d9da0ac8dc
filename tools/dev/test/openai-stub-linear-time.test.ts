/**
 * The stand-in answers in the dev process that hosts every stand-in: a message that makes its
 * regular expressions backtrack quadratically (3.6 s for 60 KB of letters) froze them all. Speed
 * belongs in `npm run bench`; this checks the growth instead: 10× the text must cost about 10×
 * the work, never the ~100× of quadratic backtracking (best of several runs, so a busy machine
 * does not decide).
 */
import { describe, expect, it } from 'vitest';
import { summarizeLead } from '../src/openai-stub/lead-summary.js';
import { shopAssistantReply } from '../src/openai-stub/shop-assistant.js';

function bestMs(work: () => unknown, runs = 5): number {
  let best = Infinity;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return Math.max(best, 0.05);
}

const shapes: Array<[string, (size: number) => string]> = [
  ['letters', (n) => 'a'.repeat(n)],
  ['digits', (n) => '1'.repeat(n)],
  ['dotted words', (n) => 'a.'.repeat(n / 2)],
  ['dashed digits', (n) => '1-'.repeat(n / 2)],
  ['opening angle brackets', (n) => '<'.repeat(n)],
  ['half-made emails', (n) => 'a@a.'.repeat(n / 4)],
];

describe('the OpenAI stand-in on huge messages', () => {
  it.each(shapes)('when a 60 KB message is all %s, then the assistant’s work grows linearly with it', (_shape, make) => {
    const small = make(6_000);
    const large = make(60_000);
    shopAssistantReply({ customerMessages: [small] }); // warm the JIT
    const ratio =
      bestMs(() => shopAssistantReply({ customerMessages: [large] })) / bestMs(() => shopAssistantReply({ customerMessages: [small] }));
    expect(ratio).toBeLessThan(30);
  });

  it('when the lead summary reads a 60 KB message of letters, then it grows linearly too', () => {
    const transcript = (text: string) => ({ customer: [text], assistant: [], threadIds: [] });
    summarizeLead(transcript('a'.repeat(6_000)));
    const ratio = bestMs(() => summarizeLead(transcript('a'.repeat(60_000)))) / bestMs(() => summarizeLead(transcript('a'.repeat(6_000))));
    expect(ratio).toBeLessThan(30);
  });
});
