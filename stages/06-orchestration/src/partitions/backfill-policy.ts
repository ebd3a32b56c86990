import { addDays } from '../given/partition-keys.ts';
import type { PartitionKeyRange } from './daily-partitions.ts';

/**
 * How a backfill turns its partitions into runs (Dagster's BackfillPolicy), as data:
 * - `single_run`: one run per unbroken stretch of days, given the whole range (stage 5's
 *   microbatch then runs one statement over the window);
 * - `multi_run`: runs of at most `maxPartitionsPerRun` partitions each.
 * An asset without a policy runs one partition per run (Dagster's default).
 */
export type BackfillPolicy = { type: 'single_run' } | { type: 'multi_run'; maxPartitionsPerRun: number };

/** Dagster's constructors. */
export const backfillPolicy = {
  /** The whole range in one run. */
  singleRun(): BackfillPolicy {
    return { type: 'single_run' };
  },
  /** At most `maxPartitionsPerRun` partitions per run (default 1). */
  multiRun(maxPartitionsPerRun = 1): BackfillPolicy {
    if (!Number.isInteger(maxPartitionsPerRun) || maxPartitionsPerRun < 1) {
      throw new Error(`multi_run: maxPartitionsPerRun must be a whole number ≥ 1, not ${maxPartitionsPerRun}.`);
    }
    return { type: 'multi_run', maxPartitionsPerRun };
  },
};

/** One run of a backfill: its partitions, and the same as a range (what the run is tagged with). */
export interface PartitionRun {
  partitionKeys: string[];
  range: PartitionKeyRange;
}

/**
 * Splits the partitions a backfill must run into runs, oldest first. A run's partitions
 * are always consecutive days (a run is given a range, and a range has no holes), so a
 * gap starts a new run even under `single_run`; `multi_run` also cuts each stretch into
 * runs of at most `maxPartitionsPerRun`. Dagster: 100 partitions with max 11 → 9 runs of
 * 11 and one of 1.
 *
 * @example
 * planBackfillRuns(['2024-03-01', '2024-03-02', '2024-03-04'], backfillPolicy.singleRun())
 * // → [{ partitionKeys: ['2024-03-01', '2024-03-02'], range: { start: '2024-03-01', end: '2024-03-02' } },
 * //    { partitionKeys: ['2024-03-04'], range: { start: '2024-03-04', end: '2024-03-04' } }]
 */
export function planBackfillRuns(keys: readonly string[], policy: BackfillPolicy | undefined): PartitionRun[] {
  const max =
    policy === undefined ? 1 : policy.type === 'single_run' ? Number.POSITIVE_INFINITY : policy.maxPartitionsPerRun;
  const sorted = [...new Set(keys)].sort();
  const runs: PartitionRun[] = [];
  let current: string[] = [];
  const close = () => {
    const [first, last] = [current[0], current.at(-1)];
    if (first !== undefined && last !== undefined)
      runs.push({ partitionKeys: current, range: { start: first, end: last } });
    current = [];
  };
  for (const key of sorted) {
    const previous = current.at(-1);
    if (previous !== undefined && (addDays(previous, 1) !== key || current.length >= max)) close();
    current.push(key);
  }
  close();
  return runs;
}

/**
 * The policy for a backfill over several assets with different policies: the one with the
 * fewest partitions per run wins (no policy counts as 1, single_run as unlimited), as in
 * Dagster's resolve_backfill_policy.
 *
 * @example
 * resolveBackfillPolicy([backfillPolicy.singleRun(), backfillPolicy.multiRun(7)]) // → { type: 'multi_run', maxPartitionsPerRun: 7 }
 */
export function resolveBackfillPolicy(policies: readonly (BackfillPolicy | undefined)[]): BackfillPolicy | undefined {
  if (policies.length === 0) return undefined;
  let best: BackfillPolicy | undefined = backfillPolicy.singleRun();
  const size = (policy: BackfillPolicy | undefined) =>
    policy === undefined ? 1 : policy.type === 'single_run' ? Number.POSITIVE_INFINITY : policy.maxPartitionsPerRun;
  for (const policy of policies) if (size(policy) < size(best)) best = policy;
  return best;
}
