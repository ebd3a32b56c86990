import { setTimeout as wait } from 'node:timers/promises';

/**
 * The time the executor measures with and the waits it makes (between retries). Passed
 * in, so tests run retries under a fake clock instead of waiting for real.
 */
export interface RunClock {
  /** Milliseconds since some fixed point (durations are differences of two readings). */
  now(): number;
  /** Waits `ms`; ends early (rejecting with the signal's reason) when `signal` is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: RunClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => wait(Math.max(0, ms), undefined, signal ? { signal } : {}),
};

/** A clock that moves only when something sleeps on it, and remembers every sleep. */
export interface FakeClock extends RunClock {
  /** Every sleep asked for, in milliseconds, in order. */
  readonly sleeps: number[];
  /** Moves the clock forward without a sleep (a step "taking" time). */
  advance(ms: number): void;
}

/**
 * A fake {@link RunClock}: `sleep(ms)` records ms, moves the time forward at once and
 * resolves on the next turn of the event loop. Retries then take no real time, and a
 * test reads exactly which waits the policy asked for.
 *
 * @example
 * const clock = fakeClock();
 * await executeRun({ …, clock });
 * clock.sleeps // → [1000, 3000]
 */
export function fakeClock(start = 0): FakeClock {
  let time = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => time,
    advance(ms) {
      time += ms;
    },
    async sleep(ms, signal) {
      signal?.throwIfAborted();
      sleeps.push(ms);
      time += ms;
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    },
  };
}
