import type { RetryDelayPolicy } from '@mart/stage-06-orchestration/given';

/**
 * Exercise: Retry with exponential backoff and jitter.
 *
 * A step that fails for a passing reason (the S3 server restarting, a file still being
 * written) often works a moment later. A retry policy says how many times to try again
 * and how long to wait first. Waiting longer after each failure (backoff) gives a sick
 * service room to recover; randomizing the wait (jitter) keeps many runs that failed
 * together from all retrying at the same instant.
 *
 * Attempt `attempt` (1 for the first try) has just failed. Return how many SECONDS to
 * wait before the next attempt, or `null` when `attempt` was the last one: there are
 * `policy.maxRetries` retries after the first attempt, so `null` once
 * `attempt > maxRetries`. With `d = policy.delaySeconds` and `n = attempt` (the retry
 * about to happen: 1 for the first), Dagster's formula:
 * - backoff `null`: `d`; `'linear'`: `n · d`; `'exponential'`: `(2ⁿ − 1) · d` (d, 3d, 7d…);
 * - then jitter, on that result `b`: `null` leaves it; `'full'`: `random() · b` (anywhere
 *   from 0 to b); `'plus_minus'`: `b + (2 · random() · d − d)`, i.e. b ± d — plus or minus
 *   the BASE delay d, not b.
 * Call `random` (it returns a number in [0, 1), like Math.random) once when there is
 * jitter, and not at all without: the executor passes a seeded one in tests.
 *
 * The executor then sleeps that long on its clock (a fake one in tests, so no test
 * waits for real) and starts the attempt again; `null` makes the step fail for good.
 *
 * @example
 * const policy = { maxRetries: 3, delaySeconds: 2, backoff: 'exponential', jitter: null } as const;
 * retryDelay(policy, 1, Math.random) // → 2
 * retryDelay(policy, 3, Math.random) // → 14
 * retryDelay(policy, 4, Math.random) // → null (3 retries used)
 * retryDelay({ ...policy, jitter: 'plus_minus' }, 2, () => 0.25) // → 6 + (2 · 0.25 · 2 − 2) = 5
 */
export function retryDelay(policy: RetryDelayPolicy, attempt: number, random: () => number): number | null {
  // #region solution
  if (attempt > policy.maxRetries) return null;
  const d = policy.delaySeconds;
  const backoff =
    policy.backoff === 'exponential' ? (2 ** attempt - 1) * d : policy.backoff === 'linear' ? attempt * d : d;
  if (policy.jitter === 'full') return random() * backoff;
  if (policy.jitter === 'plus_minus') return backoff + (2 * random() * d - d);
  return backoff;
  // #endregion
}
