import type { RetryDelayPolicy } from '@mart/stage-06-orchestration/given';
import { retryDelay } from '@mart/track/06-orchestration';
import { describe, expect, test } from 'vitest';

const policy = (overrides: Partial<RetryDelayPolicy> = {}): RetryDelayPolicy => ({
  maxRetries: 5,
  delaySeconds: 2,
  backoff: null,
  jitter: null,
  ...overrides,
});

/** A random() that returns these values in turn, and counts its calls. */
function randomOf(...values: number[]) {
  let calls = 0;
  const random = () => {
    const value = values[calls % values.length] ?? 0;
    calls += 1;
    return value;
  };
  return { random, calls: () => calls };
}

const never = () => {
  throw new Error('random() was called, but this policy has no jitter');
};

/** The waits (seconds) before each retry for attempts 1, 2, … up to `attempts`, null once none is left. */
const waits = (p: RetryDelayPolicy, attempts: number, random: () => number = never) =>
  Array.from({ length: attempts }, (_, i) => retryDelay(p, i + 1, random));

describe('retry-delay', () => {
  test('no backoff, no jitter: the same delay before every retry', () => {
    expect(waits(policy({ maxRetries: 3 }), 3)).toEqual([2, 2, 2]);
  });

  test('linear backoff: n · delay', () => {
    expect(waits(policy({ backoff: 'linear', delaySeconds: 1.5 }), 4)).toEqual([1.5, 3, 4.5, 6]);
  });

  test('exponential backoff: (2ⁿ − 1) · delay — 1, 3, 7, 15 times the delay', () => {
    expect(waits(policy({ backoff: 'exponential' }), 5)).toEqual([2, 6, 14, 30, 62]);
    expect(waits(policy({ backoff: 'exponential', delaySeconds: 0.1 }), 3).map((s) => Number(s?.toFixed(6)))).toEqual([
      0.1, 0.3, 0.7,
    ]);
  });

  test('no retry left: null once attempt > maxRetries', () => {
    expect(waits(policy({ maxRetries: 2, backoff: 'exponential' }), 4)).toEqual([2, 6, null, null]);
    expect(retryDelay(policy({ maxRetries: 0 }), 1, never)).toBeNull();
    expect(retryDelay(policy({ maxRetries: 3 }), 3, never)).toBe(2);
    expect(retryDelay(policy({ maxRetries: 3 }), 4, never)).toBeNull();
  });

  test('full jitter: random() times the backed-off delay', () => {
    const { random, calls } = randomOf(0.5, 0.25, 0);
    expect(waits(policy({ backoff: 'exponential', jitter: 'full' }), 3, random)).toEqual([1, 1.5, 0]);
    expect(calls()).toBe(3);
    expect(retryDelay(policy({ backoff: 'linear', jitter: 'full' }), 4, () => 0.75)).toBe(6);
  });

  test('plus-minus jitter: the backed-off delay ± the BASE delay', () => {
    // exponential, d = 2: b = 2, 6, 14; jitter = 2·r·d − d with r = 0, 0.5, 0.9.
    const { random } = randomOf(0, 0.5, 0.9);
    const result = waits(policy({ backoff: 'exponential', jitter: 'plus_minus' }), 3, random);
    expect(result.map((s) => Number(s?.toFixed(6)))).toEqual([0, 6, 15.6]);
    // no backoff: d ± d, from 0 up to (not including) 2d.
    expect(retryDelay(policy({ jitter: 'plus_minus' }), 1, () => 0)).toBe(0);
    expect(retryDelay(policy({ jitter: 'plus_minus' }), 1, () => 0.75)).toBe(3);
    // linear, n = 3, d = 2: 6 ± 2.
    expect(retryDelay(policy({ backoff: 'linear', jitter: 'plus_minus' }), 3, () => 0.25)).toBe(5);
  });

  test('random() is called once with jitter, never without', () => {
    for (const backoff of [null, 'linear', 'exponential'] as const) {
      expect(retryDelay(policy({ backoff }), 2, never)).toBeGreaterThan(0);
      for (const jitter of ['full', 'plus_minus'] as const) {
        const { random, calls } = randomOf(0.5);
        retryDelay(policy({ backoff, jitter }), 2, random);
        expect({ backoff, jitter, calls: calls() }).toEqual({ backoff, jitter, calls: 1 });
      }
    }
    // No retry left: no wait to randomize.
    const { random, calls } = randomOf(0.5);
    expect(retryDelay(policy({ maxRetries: 1, jitter: 'full' }), 2, random)).toBeNull();
    expect(calls()).toBe(0);
  });

  test('a zero delay stays zero, whatever the backoff', () => {
    expect(waits(policy({ delaySeconds: 0, backoff: 'exponential' }), 3)).toEqual([0, 0, 0]);
    expect(waits(policy({ delaySeconds: 0, backoff: 'linear' }), 2)).toEqual([0, 0]);
  });

  test('under a fake clock: a step that fails 3 times, then works, waits 2 + 6 + 14 s in all', () => {
    // The executor's loop, with a clock that only moves when it sleeps.
    let clock = 0;
    const sleeps: number[] = [];
    let attempt = 0;
    const failuresBeforeSuccess = 3;
    let outcome: 'succeeded' | 'failed' | undefined;
    // Bounded: a retryDelay that never says null must fail this test, not hang it.
    while (attempt < 20) {
      attempt += 1;
      if (attempt > failuresBeforeSuccess) {
        outcome = 'succeeded';
        break;
      }
      const wait = retryDelay(policy({ maxRetries: 4, backoff: 'exponential' }), attempt, never);
      if (wait === null) {
        outcome = 'failed';
        break;
      }
      sleeps.push(wait);
      clock += wait;
    }
    expect({ outcome, attempt, sleeps, clock }).toEqual({
      outcome: 'succeeded',
      attempt: 4,
      sleeps: [2, 6, 14],
      clock: 22,
    });
  });

  test('under a fake clock: retries run out after maxRetries, and the step fails', () => {
    let clock = 0;
    let attempts = 0;
    const { random } = randomOf(0.5);
    while (attempts < 20) {
      attempts += 1;
      const wait = retryDelay(
        policy({ maxRetries: 3, delaySeconds: 1, backoff: 'linear', jitter: 'full' }),
        attempts,
        random,
      );
      if (wait === null) break;
      clock += wait;
    }
    // Waits 0.5·1 + 0.5·2 + 0.5·3, then attempt 4 fails for good.
    expect({ attempts, clock }).toEqual({ attempts: 4, clock: 3 });
  });
});
