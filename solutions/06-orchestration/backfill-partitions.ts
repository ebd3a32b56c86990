import { UsageError } from '@mart/shared';
import { addDays, type BackfillOptions, isPartitionKey } from '@mart/stage-06-orchestration/given';

/**
 * Exercise: The partitions a backfill must run.
 *
 * The sales-driven assets are split into daily partitions: `2024-03-01` is the data of
 * that day (UTC). `pnpm stage 6 materialize --from 2024-03-01 --to 2024-03-30` is a
 * backfill: it fills the range. It must be safe to start again after a crash or a
 * failure, and cheap when most days are already there, so it runs only what is needed.
 *
 * Return the partition keys (`YYYY-MM-DD`) from `from` to `to` (both included) that must
 * run, oldest first:
 * - a day with no entry in `status` (missing) or with `'failed'` runs;
 * - a `'materialized'` day runs only when `force` is true (`--force`: rebuild them);
 * - a `'running'` day never runs, not even with `force`: another run is building it, and
 *   two runs must not write the same partition at once.
 * Entries of `status` outside the range change nothing.
 *
 * Refuse a range the asset does not have, by throwing `new UsageError(message)` (a user
 * mistake: the CLI prints the message, no stack trace). The message must contain the
 * offending value:
 * - `from`, `to`, `start` or `lastPartition` that is not a day (`2024-02-30`, `2024-3-1`);
 * - `from` after `to`;
 * - `from` before `start` (the first partition);
 * - `to` after `lastPartition` (the last complete day: today's partition does not exist
 *   until the day is over).
 *
 * You may use, from '@mart/stage-06-orchestration/given': `isPartitionKey(text)` (is it
 * a real day, `YYYY-MM-DD`?) and `addDays(key, n)` (the key n days later). Keys compare
 * like the days they name with plain `<` / `>`.
 *
 * @example
 * backfillPartitions({ from: '2024-03-01', to: '2024-03-04', start: '2024-01-01', lastPartition: '2024-03-31',
 *   status: { '2024-03-01': 'materialized', '2024-03-02': 'failed', '2024-03-03': 'running' }, force: false })
 * // → ['2024-03-02', '2024-03-04']
 */
export function backfillPartitions(options: BackfillOptions): string[] {
  // #region solution
  const { from, to, start, lastPartition, status, force } = options;
  for (const [name, value] of Object.entries({ from, to, start, lastPartition })) {
    if (!isPartitionKey(value)) throw new UsageError(`${name} "${value}" is not a day: write it as YYYY-MM-DD.`);
  }
  if (from > to) throw new UsageError(`The range starts (${from}) after it ends (${to}).`);
  if (from < start) throw new UsageError(`${from} is before the first partition, ${start}.`);
  if (to > lastPartition) {
    throw new UsageError(`${to} is after the last partition, ${lastPartition} (the last complete day).`);
  }
  const keys: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const state = status[day];
    if (state === 'running') continue;
    if (state === 'materialized' && !force) continue;
    keys.push(day);
  }
  return keys;
  // #endregion
}
