import type { Response } from 'express';
import type { Logger } from 'pino';
import { sseFrame, type ThreadStreamEvent } from '@lead-intake/shared/chatkit';

/**
 * Writes a ChatKit event stream (`data: <json>\n\n` frames). Errors after the headers went out
 * become a protocol `error` event, never an HTTP error. When the client goes away, `abort` fires
 * and the generator is still drained, so the use case persists what was streamed.
 */
export async function writeEventStream(
  res: Response,
  events: AsyncGenerator<ThreadStreamEvent>,
  abort: AbortController,
  log: Logger,
): Promise<void> {
  res.status(200).set({
    'Content-Type': 'text/event-stream; charset=utf-8',
    // Not no-store: Chromium cancels a no-store response the page reads to its end through a
    // stream reader (as ChatKit does) before the network layer reports it complete, so every turn
    // showed as a failed request (net::ERR_ABORTED) although the reply arrived whole. private +
    // no-cache keep it out of shared caches and never reused; no-transform keeps proxies from
    // buffering or compressing it. OpenAI's reference server sends no Cache-Control at all.
    'Cache-Control': 'private, no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  // Events produced in the same tick (a turn's opening events, a burst of deltas) leave in one
  // socket write instead of one each; nothing waits past the current tick.
  let corked = false;
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  const write = (event: ThreadStreamEvent) => {
    if (abort.signal.aborted || res.writableEnded) return;
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    res.write(sseFrame(event));
  };
  try {
    for await (const event of events) write(event);
  } catch (error) {
    log.error({ err: error }, 'chatkit stream failed');
    write({ type: 'error', code: 'stream.error', allow_retry: true });
  } finally {
    if (!res.writableEnded) res.end();
  }
}
