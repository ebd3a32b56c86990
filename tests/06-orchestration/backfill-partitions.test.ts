import { UsageError } from '@mart/shared';
import type { BackfillOptions, PartitionStatus } from '@mart/stage-06-orchestration/given';
import { backfillPartitions } from '@mart/track/06-orchestration';
import { describe, expect, test } from 'vitest';

/** A backfill of the sales assets (partitions from 2024-01-01, the last complete day 2024-03-31). */
const backfill = (overrides: Partial<BackfillOptions>) =>
  backfillPartitions({
    from: '2024-03-01',
    to: '2024-03-05',
    start: '2024-01-01',
    lastPartition: '2024-03-31',
    status: {},
    force: false,
    ...overrides,
  });

/** `count` keys from `first`, a day apart (March 2024 only). */
const march = (first: number, count: number) =>
  Array.from({ length: count }, (_, i) => `2024-03-${String(first + i).padStart(2, '0')}`);

/** The UsageError a backfill is refused with (anything else, e.g. "not implemented yet", is passed on). */
function refusal(overrides: Partial<BackfillOptions>): UsageError {
  try {
    backfill(overrides);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(overrides)}, but the backfill was accepted`);
}

describe('backfill-partitions', () => {
  test('nothing built yet: every day of the range, both ends included, oldest first', () => {
    expect(backfill({})).toEqual(march(1, 5));
  });

  test('materialized days are skipped; failed and missing days run', () => {
    const status: Record<string, PartitionStatus> = {
      '2024-03-01': 'materialized',
      '2024-03-02': 'failed',
      '2024-03-04': 'materialized',
    };
    expect(backfill({ status })).toEqual(['2024-03-02', '2024-03-03', '2024-03-05']);
  });

  test('a running day never runs, not even with force', () => {
    const status: Record<string, PartitionStatus> = { '2024-03-02': 'running', '2024-03-03': 'materialized' };
    expect(backfill({ status })).toEqual(['2024-03-01', '2024-03-04', '2024-03-05']);
    expect(backfill({ status, force: true })).toEqual(['2024-03-01', '2024-03-03', '2024-03-04', '2024-03-05']);
  });

  test('force runs materialized days again, and failed and missing ones', () => {
    const status: Record<string, PartitionStatus> = { '2024-03-01': 'materialized', '2024-03-05': 'failed' };
    expect(backfill({ status, force: true })).toEqual(march(1, 5));
  });

  test('all done: nothing to run; status outside the range changes nothing', () => {
    const done = Object.fromEntries(march(1, 5).map((key): [string, PartitionStatus] => [key, 'materialized']));
    expect(backfill({ status: done })).toEqual([]);
    const outside: Record<string, PartitionStatus> = {
      '2024-02-29': 'failed',
      '2024-03-06': 'failed',
      '2024-03-07': 'running',
    };
    expect(backfill({ status: outside })).toEqual(march(1, 5));
  });

  test('30 days, 25 of them built: only the 5 missing or failed run', () => {
    const status: Record<string, PartitionStatus> = {};
    for (const key of march(1, 30)) status[key] = 'materialized';
    status['2024-03-03'] = 'failed';
    for (const key of ['2024-03-10', '2024-03-11', '2024-03-29', '2024-03-30']) delete status[key];
    expect(backfill({ from: '2024-03-01', to: '2024-03-30', status })).toEqual([
      '2024-03-03',
      '2024-03-10',
      '2024-03-11',
      '2024-03-29',
      '2024-03-30',
    ]);
  });

  test('ranges across month ends, leap days and years; a one-day range', () => {
    expect(backfill({ from: '2024-02-27', to: '2024-03-02' })).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
    ]);
    expect(backfill({ from: '2023-12-30', to: '2024-01-02', start: '2023-06-01' })).toEqual([
      '2023-12-30',
      '2023-12-31',
      '2024-01-01',
      '2024-01-02',
    ]);
    expect(backfill({ from: '2024-03-09', to: '2024-03-09' })).toEqual(['2024-03-09']);
  });

  test('the first and the last partition themselves are in range', () => {
    expect(backfill({ from: '2024-01-01', to: '2024-01-02' })).toEqual(['2024-01-01', '2024-01-02']);
    expect(backfill({ from: '2024-03-30', to: '2024-03-31' })).toEqual(['2024-03-30', '2024-03-31']);
  });

  test('a value that is not a day is refused, naming it', () => {
    for (const overrides of [
      { from: '2024-02-30' },
      { to: '2024-3-5' },
      { from: 'yesterday' },
      { to: '2024-03-05T00:00:00Z' },
      { start: '2023-02-30' },
      { lastPartition: '2024-12-32' },
    ]) {
      const value = Object.values(overrides)[0] as string;
      expect(refusal(overrides).message).toContain(value);
    }
  });

  test('a range that ends before it starts, or leaves the partitions, is refused', () => {
    expect(refusal({ from: '2024-03-05', to: '2024-03-01' }).message).toContain('2024-03-05');
    expect(refusal({ from: '2023-12-31', to: '2024-01-03' }).message).toContain('2023-12-31');
    // Today (2024-04-01) is not complete: its partition does not exist yet.
    expect(refusal({ from: '2024-03-30', to: '2024-04-01' }).message).toContain('2024-04-01');
    expect(refusal({ start: '2024-03-02' }).message).toContain('2024-03-01');
    expect(refusal({ lastPartition: '2024-03-04' }).message).toContain('2024-03-05');
  });
});
