/**
 * Time source for everything time-based in the emulator (schedule times, backoff, dispatch
 * deadlines, dedupe windows). Tests use a scaled clock so that e.g. a 300 s backoff passes in
 * 3 s of real time with `timeScale: 100`; the times the API reports are the emulated times.
 */
export interface Clock {
  /** Emulated epoch milliseconds. */
  now(): number;
  /** Runs `fn` after `delayMs` of emulated time. */
  setTimer(fn: () => void, delayMs: number): Timer;
  clearTimer(timer: Timer): void;
  /** Real milliseconds that correspond to `emulatedMs` (for socket/fetch timeouts). */
  toRealMs(emulatedMs: number): number;
}

export type Timer = ReturnType<typeof setTimeout>;

const MAX_TIMER_MS = 2_147_483_647;

/** Real time when `timeScale` is 1; otherwise emulated time runs `timeScale` times faster. */
export function createScaledClock(timeScale = 1, realNow: () => number = Date.now): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) {
    throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  }
  const origin = realNow();
  return {
    now: () => origin + (realNow() - origin) * timeScale,
    // Node timers overflow above 2^31-1 ms; callers re-arm after waking, so capping is safe.
    setTimer: (fn, delayMs) => setTimeout(fn, Math.min(MAX_TIMER_MS, Math.max(0, delayMs / timeScale))),
    clearTimer: (timer) => clearTimeout(timer),
    toRealMs: (emulatedMs) => emulatedMs / timeScale,
  };
}
