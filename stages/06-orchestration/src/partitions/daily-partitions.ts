import { UsageError } from '@mart/shared';
import { addDays, isPartitionKey } from '../given/partition-keys.ts';

/** Options for {@link dailyPartitions} (Dagster's DailyPartitionsDefinition, in UTC). */
export interface DailyPartitionsOptions {
  /** The first partition, `YYYY-MM-DD`. */
  start: string;
  /** The first day NOT in the set (exclusive, as Dagster's `end_date`); none by default: the set grows every day. */
  end?: string | undefined;
  /**
   * Partitions past the last complete day: 1 adds today's (still in progress), 2 tomorrow's
   * too; a negative number drops that many from the end. Default 0.
   */
  endOffset?: number | undefined;
}

/** One partition set, a day per partition, in UTC. Plain data: it goes into run records as it is. */
export interface DailyPartitionsDefinition {
  type: 'daily';
  /** The first partition's key. */
  start: string;
  /** The first day not in the set, if the set has an end. */
  end: string | undefined;
  endOffset: number;
  /** Always UTC: a day is `[00:00, 24:00)` UTC. */
  timezone: 'UTC';
}

/** A window of time `[start, end)` as UTC ISO timestamps (`2024-03-01T00:00:00Z`), stage 5's EventWindow shape. */
export interface PartitionTimeWindow {
  start: string;
  end: string;
}

/** An inclusive range of partition keys, Dagster's PartitionKeyRange. */
export interface PartitionKeyRange {
  start: string;
  end: string;
}

/**
 * A daily partitions definition. A partition's key is its day (`2024-03-01`), and it
 * covers that day in UTC. The last partition is the last COMPLETE day: at
 * 2024-05-10T10:00Z the newest partition is 2024-05-09, because 2024-05-10 is still
 * filling (unless `endOffset` says otherwise) — Dagster's rule.
 *
 * @example
 * const sales = dailyPartitions({ start: '2024-01-01' });
 * lastPartition(sales, new Date('2024-05-10T10:00:00Z')) // → '2024-05-09'
 */
export function dailyPartitions(options: DailyPartitionsOptions): DailyPartitionsDefinition {
  const { start, end, endOffset = 0 } = options;
  if (!isPartitionKey(start)) throw new Error(`Daily partitions: start "${start}" is not a day (YYYY-MM-DD).`);
  if (end !== undefined && !isPartitionKey(end))
    throw new Error(`Daily partitions: end "${end}" is not a day (YYYY-MM-DD).`);
  if (end !== undefined && end <= start)
    throw new Error(`Daily partitions: end ${end} must come after start ${start}.`);
  if (!Number.isInteger(endOffset)) throw new Error(`Daily partitions: endOffset ${endOffset} is not a whole number.`);
  return { type: 'daily', start, end, endOffset, timezone: 'UTC' };
}

/**
 * The newest partition that exists at `now`, or undefined when none does yet (the first
 * day is not over). See {@link dailyPartitions} for the rule.
 *
 * @example
 * lastPartition(dailyPartitions({ start: '2024-01-01', endOffset: 1 }), new Date('2024-05-10T10:00:00Z')) // → '2024-05-10'
 */
export function lastPartition(definition: DailyPartitionsDefinition, now: Date): string | undefined {
  if (Number.isNaN(now.getTime())) throw new Error('lastPartition: now is not a valid time.');
  const today = now.toISOString().slice(0, 10);
  // Yesterday's window [yesterday, today 00:00) has ended, so yesterday is the last complete day.
  let last = addDays(today, definition.endOffset - 1);
  if (definition.end !== undefined) {
    const beforeEnd = addDays(definition.end, -1);
    if (beforeEnd < last) last = beforeEnd;
  }
  return last < definition.start ? undefined : last;
}

/**
 * Every partition key that exists at `now`, oldest first.
 *
 * @example
 * partitionKeys(dailyPartitions({ start: '2024-03-01' }), new Date('2024-03-04T08:00:00Z'))
 * // → ['2024-03-01', '2024-03-02', '2024-03-03']
 */
export function partitionKeys(definition: DailyPartitionsDefinition, now: Date): string[] {
  const last = lastPartition(definition, now);
  return last === undefined ? [] : keysBetween(definition.start, last);
}

/**
 * The keys from `from` to `to` (inclusive), after checking that both are days of the
 * definition at `now`: what `--partition KEY` and `--from A --to B` are checked with. A
 * bad day or a range outside the partitions is a UsageError saying which partitions exist.
 *
 * @example
 * partitionRange(sales, { start: '2024-03-01', end: '2024-03-03' }, now) // → ['2024-03-01', '2024-03-02', '2024-03-03']
 * partitionRange(sales, { start: '2024-03-01', end: '2099-01-01' }, now) // throws UsageError: 2099-01-01 is after the last partition …
 */
export function partitionRange(definition: DailyPartitionsDefinition, range: PartitionKeyRange, now: Date): string[] {
  const last = lastPartition(definition, now);
  const exists =
    last === undefined ? 'no partition exists yet' : `partitions exist from ${definition.start} to ${last}`;
  const hint = `Daily partitions (UTC): ${exists}; the last one is the last complete day.`;
  for (const [name, value] of [
    ['start', range.start],
    ['end', range.end],
  ] as const) {
    if (!isPartitionKey(value)) {
      throw new UsageError(
        `The partition ${name === 'start' ? 'range starts' : 'range ends'} at "${value}", which is not a day: write YYYY-MM-DD.`,
        { hint },
      );
    }
  }
  if (range.start > range.end)
    throw new UsageError(`The range starts (${range.start}) after it ends (${range.end}).`, { hint });
  if (range.start < definition.start) {
    throw new UsageError(`${range.start} is before the first partition, ${definition.start}.`, { hint });
  }
  if (last === undefined || range.end > last) {
    const why = last === undefined ? 'no partition exists yet' : `the last partition is ${last}`;
    throw new UsageError(
      `${range.end} is not a partition yet: ${why} (today's partition exists once the day is over).`,
      { hint },
    );
  }
  return keysBetween(range.start, range.end);
}

/**
 * The window of time a partition key covers (for a range: from the first day's start to
 * the last day's end), for `where sale_date >= start and sale_date < end`.
 *
 * @example
 * partitionTimeWindow({ start: '2024-03-01', end: '2024-03-02' }) // → { start: '2024-03-01T00:00:00Z', end: '2024-03-03T00:00:00Z' }
 */
export function partitionTimeWindow(range: PartitionKeyRange): PartitionTimeWindow {
  if (!isPartitionKey(range.start) || !isPartitionKey(range.end) || range.start > range.end) {
    throw new Error(`partitionTimeWindow: ${range.start}..${range.end} is not a range of days.`);
  }
  return { start: `${range.start}T00:00:00Z`, end: `${addDays(range.end, 1)}T00:00:00Z` };
}

/** Every key from `from` to `to`, both included. */
export function keysBetween(from: string, to: string): string[] {
  const keys: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) keys.push(day);
  return keys;
}
