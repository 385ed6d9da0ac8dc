import { setImmediate as nextMacrotask } from 'node:timers/promises';

/**
 * Virtual time for the model-based tests: `sleep` resolves when the simulation reaches its time;
 * `run` advances from timer to timer, letting every promise chain settle in between. Nothing
 * waits for real time, so a 30-minute safety net passes in microseconds and every run is the
 * same for the same seed.
 */
export class SimClock {
  private current: number;
  private seq = 0;
  private readonly timers: Array<{ at: number; seq: number; fire: () => void }> = [];

  constructor(start: number) {
    this.current = start;
  }

  now = (): number => this.current;

  sleep = (ms: number): Promise<void> => new Promise((resolve) => this.at(this.current + Math.max(0, ms), resolve));

  /** Runs `fire` at virtual time `at` (never before now). */
  at(at: number, fire: () => void): void {
    this.timers.push({ at: Math.max(at, this.current), seq: (this.seq += 1), fire });
  }

  /** Advances until nothing is scheduled (or `until`), settling all work between timers. */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      await settle();
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > until) break;
      this.timers.shift();
      this.current = next.at;
      next.fire();
    }
    if (Number.isFinite(until)) this.current = Math.max(this.current, until);
  }

  pending(): number {
    return this.timers.length;
  }
}

/** Lets every promise chain that can move without time move (a macrotask drains the microtask queue). */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i += 1) await nextMacrotask();
}
