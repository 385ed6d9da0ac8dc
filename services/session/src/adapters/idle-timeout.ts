/** The stream went quiet for longer than allowed. */
export class IdleTimeout extends Error {
  constructor(readonly idleMs: number) {
    super(`no event for ${idleMs} ms`);
    this.name = 'IdleTimeout';
  }
}

/**
 * The items of `source`, failing with IdleTimeout when the next one takes longer than `idleMs`
 * (measured from the start and from each item). `onIdle` then stops whatever feeds the source
 * (its request is aborted, so nothing keeps running after the failure).
 */
export async function* withIdleTimeout<T>(source: AsyncIterable<T>, idleMs: number, onIdle: () => void): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (;;) {
      const idle = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Rejected before the source is stopped: a source that ends quietly when stopped must not win the race.
          reject(new IdleTimeout(idleMs));
          onIdle();
        }, idleMs);
      });
      const next = await Promise.race([iterator.next(), idle]);
      clearTimeout(timer);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    // Whatever the source still holds (a half-read stream) is released; its own error is not ours.
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}
