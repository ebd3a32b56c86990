import { UsageError } from '@mart/shared';
import { describe, expect, test } from 'vitest';
import { addDays, isPartitionKey } from '../src/given/partition-keys.ts';
import {
  dailyPartitions,
  lastPartition,
  partitionKeys,
  partitionRange,
  partitionTimeWindow,
} from '../src/partitions/daily-partitions.ts';

const at = (iso: string) => new Date(iso);

describe('partition keys', () => {
  test.each([
    ['2024-03-01', true],
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-02-30', false],
    ['2024-13-01', false],
    ['2024-3-1', false],
    ['2024-03-01T00:00:00Z', false],
    ['', false],
  ])('isPartitionKey(%j) → %s', (text, expected) => {
    expect(isPartitionKey(text)).toBe(expected);
  });

  test('addDays crosses months, years and leap days, both ways', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-01-01', -1)).toBe('2023-12-31');
    expect(addDays('2024-03-01', 0)).toBe('2024-03-01');
    expect(() => addDays('2024-02-30', 1)).toThrow(/not a partition key/);
  });
});

describe('dailyPartitions: the last partition is the last complete day (UTC)', () => {
  const sales = dailyPartitions({ start: '2024-01-01' });

  test('at 10:00 the newest partition is yesterday; at midnight too (the window has just ended)', () => {
    expect(lastPartition(sales, at('2024-05-10T10:00:00Z'))).toBe('2024-05-09');
    expect(lastPartition(sales, at('2024-05-10T00:00:00Z'))).toBe('2024-05-09');
    expect(lastPartition(sales, at('2024-05-10T23:59:59.999Z'))).toBe('2024-05-09');
  });

  test('UTC, whatever the local offset of the time given', () => {
    expect(lastPartition(sales, at('2024-05-10T01:00:00+02:00'))).toBe('2024-05-08');
  });

  test("endOffset 1 adds today's partition (in progress), -1 drops yesterday's", () => {
    expect(lastPartition(dailyPartitions({ start: '2024-01-01', endOffset: 1 }), at('2024-05-10T10:00:00Z'))).toBe(
      '2024-05-10',
    );
    expect(lastPartition(dailyPartitions({ start: '2024-01-01', endOffset: -1 }), at('2024-05-10T10:00:00Z'))).toBe(
      '2024-05-08',
    );
  });

  test('an end date is exclusive', () => {
    const march = dailyPartitions({ start: '2024-03-01', end: '2024-04-01' });
    expect(lastPartition(march, at('2024-05-10T10:00:00Z'))).toBe('2024-03-31');
    expect(partitionKeys(march, at('2024-05-10T10:00:00Z'))).toHaveLength(31);
  });

  test('no partition before the first day is over', () => {
    expect(lastPartition(sales, at('2024-01-01T12:00:00Z'))).toBeUndefined();
    expect(partitionKeys(sales, at('2024-01-01T12:00:00Z'))).toEqual([]);
    expect(lastPartition(sales, at('2024-01-02T00:00:00Z'))).toBe('2024-01-01');
  });

  test('partitionKeys lists every day from the start', () => {
    expect(partitionKeys(dailyPartitions({ start: '2024-02-27' }), at('2024-03-02T08:00:00Z'))).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });

  test('a bad definition is refused', () => {
    expect(() => dailyPartitions({ start: '2024-02-30' })).toThrow(/not a day/);
    expect(() => dailyPartitions({ start: '2024-03-01', end: '2024-03-01' })).toThrow(/must come after/);
    expect(() => dailyPartitions({ start: '2024-03-01', endOffset: 0.5 })).toThrow(/whole number/);
  });
});

describe('partitionRange: --from A --to B, checked', () => {
  const sales = dailyPartitions({ start: '2024-01-01' });
  const now = at('2024-03-10T10:00:00Z');

  test('the days of the range, both ends included', () => {
    expect(partitionRange(sales, { start: '2024-02-28', end: '2024-03-01' }, now)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(partitionRange(sales, { start: '2024-03-09', end: '2024-03-09' }, now)).toEqual(['2024-03-09']);
  });

  test.each([
    [{ start: '2024-02-30', end: '2024-03-01' }, /"2024-02-30", which is not a day/],
    [{ start: '2024-03-01', end: 'yesterday' }, /"yesterday", which is not a day/],
    [{ start: '2024-03-05', end: '2024-03-01' }, /starts \(2024-03-05\) after it ends \(2024-03-01\)/],
    [{ start: '2023-12-31', end: '2024-01-05' }, /2023-12-31 is before the first partition, 2024-01-01/],
    [{ start: '2024-03-01', end: '2024-03-10' }, /2024-03-10 is not a partition yet: the last partition is 2024-03-09/],
  ])('%j is a UsageError', (range, message) => {
    let error: unknown;
    try {
      partitionRange(sales, range, now);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as UsageError).hint).toContain('partitions exist from 2024-01-01 to 2024-03-09');
  });
});

describe('partitionTimeWindow', () => {
  test('a day is [00:00, next 00:00) in UTC; a range ends after its last day', () => {
    expect(partitionTimeWindow({ start: '2024-03-01', end: '2024-03-01' })).toEqual({
      start: '2024-03-01T00:00:00Z',
      end: '2024-03-02T00:00:00Z',
    });
    expect(partitionTimeWindow({ start: '2023-08-21', end: '2023-08-25' })).toEqual({
      start: '2023-08-21T00:00:00Z',
      end: '2023-08-26T00:00:00Z',
    });
  });
});
