/**
 * An agent reply started before the turn is ready to stream it: the model call runs while the
 * turn's own writes are in flight, and its deltas wait until the reply is iterated. The first
 * token then costs max(write, model) instead of their sum. The turn's signal stops it when the
 * write fails.
 */
export class EarlyReply implements AsyncIterable<string> {
  private readonly stop = new AbortController();
  private readonly iterator: AsyncIterator<string>;
  private pending: Promise<IteratorResult<string>> | undefined;

  /** `start` gets the turn's signal combined with this reply's own stop (when it is not read to its end). */
  constructor(start: (signal: AbortSignal) => AsyncIterable<string>, signal: AbortSignal) {
    try {
      this.iterator = start(AbortSignal.any([signal, this.stop.signal]))[Symbol.asyncIterator]();
      this.pending = this.iterator.next();
    } catch (error) {
      // Surfaces where the reply is read, as a failed turn, like any other agent error.
      this.iterator = { next: () => Promise.resolve({ done: true, value: undefined }) };
      this.pending = Promise.reject(error);
    }
    // Handled when iterated; a reply cancelled before that must not be an unhandled rejection.
    this.pending.catch(() => undefined);
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        const first = this.pending;
        this.pending = undefined;
        return first ?? this.iterator.next();
      },
      return: async () => {
        this.stop.abort();
        return (await this.iterator.return?.()) ?? { done: true, value: undefined };
      },
    };
  }
}
