import { incrementalWindows } from '@mart/track/05-incremental';
import { describe, expect, test } from 'vitest';

const days = (...starts: string[]) =>
  starts.map((start) => {
    const next = new Date(`${start}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    return { start: `${start}T00:00:00Z`, end: `${next.toISOString().slice(0, 10)}T00:00:00Z` };
  });

describe('incremental-windows', () => {
  test('first run (no watermark): every day from begin to end', () => {
    expect(
      incrementalWindows({ begin: '2024-01-01', end: '2024-01-04', watermark: null, lookback: 3, batchSize: 'day' }),
    ).toEqual(days('2024-01-01', '2024-01-02', '2024-01-03'));
  });

  test('a later run: from lookback batches before the watermark up to the end', () => {
    expect(
      incrementalWindows({
        begin: '2024-01-01',
        end: '2024-03-06',
        watermark: '2024-03-05',
        lookback: 2,
        batchSize: 'day',
      }),
    ).toEqual(days('2024-03-03', '2024-03-04', '2024-03-05'));
  });

  test('lookback 0 processes only what is new; nothing new gives no batches', () => {
    expect(
      incrementalWindows({
        begin: '2024-01-01',
        end: '2024-03-06',
        watermark: '2024-03-05',
        lookback: 0,
        batchSize: 'day',
      }),
    ).toEqual(days('2024-03-05'));
    expect(
      incrementalWindows({
        begin: '2024-01-01',
        end: '2024-03-05',
        watermark: '2024-03-05',
        lookback: 0,
        batchSize: 'day',
      }),
    ).toEqual([]);
  });

  test('the lookback never reaches before begin', () => {
    expect(
      incrementalWindows({
        begin: '2024-01-02',
        end: '2024-01-04',
        watermark: '2024-01-03',
        lookback: 5,
        batchSize: 'day',
      }),
    ).toEqual(days('2024-01-02', '2024-01-03'));
  });

  test('an end inside a day rounds up: the whole day is processed', () => {
    expect(
      incrementalWindows({
        begin: '2024-01-01',
        end: '2024-03-05T10:30:00Z',
        watermark: '2024-03-05',
        lookback: 1,
        batchSize: 'day',
      }),
    ).toEqual(days('2024-03-04', '2024-03-05'));
  });

  test('a begin inside a day rounds down to its start', () => {
    expect(
      incrementalWindows({
        begin: '2024-01-01T15:00:00Z',
        end: '2024-01-02',
        watermark: null,
        lookback: 1,
        batchSize: 'day',
      }),
    ).toEqual(days('2024-01-01'));
  });

  test('months are calendar months: February 2024 has 29 days, a year ends in December', () => {
    expect(
      incrementalWindows({ begin: '2024-01-15', end: '2024-03-02', watermark: null, lookback: 1, batchSize: 'month' }),
    ).toEqual([
      { start: '2024-01-01T00:00:00Z', end: '2024-02-01T00:00:00Z' },
      { start: '2024-02-01T00:00:00Z', end: '2024-03-01T00:00:00Z' },
      { start: '2024-03-01T00:00:00Z', end: '2024-04-01T00:00:00Z' },
    ]);
    expect(
      incrementalWindows({
        begin: '2023-01-01',
        end: '2025-01-01',
        watermark: '2024-12-31',
        lookback: 1,
        batchSize: 'month',
      }),
    ).toEqual([
      { start: '2024-11-01T00:00:00Z', end: '2024-12-01T00:00:00Z' },
      { start: '2024-12-01T00:00:00Z', end: '2025-01-01T00:00:00Z' },
    ]);
  });

  test('years and hours', () => {
    expect(
      incrementalWindows({
        begin: '2022-06-01',
        end: '2024-02-01',
        watermark: '2024-01-01',
        lookback: 1,
        batchSize: 'year',
      }),
    ).toEqual([
      { start: '2023-01-01T00:00:00Z', end: '2024-01-01T00:00:00Z' },
      { start: '2024-01-01T00:00:00Z', end: '2025-01-01T00:00:00Z' },
    ]);
    expect(
      incrementalWindows({
        begin: '2024-01-01',
        end: '2024-01-01T03:20:00Z',
        watermark: '2024-01-01T02:00:00Z',
        lookback: 1,
        batchSize: 'hour',
      }),
    ).toEqual([
      { start: '2024-01-01T01:00:00Z', end: '2024-01-01T02:00:00Z' },
      { start: '2024-01-01T02:00:00Z', end: '2024-01-01T03:00:00Z' },
      { start: '2024-01-01T03:00:00Z', end: '2024-01-01T04:00:00Z' },
    ]);
  });

  test('a daylight-saving change does not shift UTC days (windows stay 24 h apart)', () => {
    const windows = incrementalWindows({
      begin: '2024-03-30',
      end: '2024-04-01',
      watermark: null,
      lookback: 0,
      batchSize: 'day',
    });
    expect(windows).toEqual(days('2024-03-30', '2024-03-31'));
  });

  test('a negative or fractional lookback, and a time that does not parse, are refused', () => {
    const options = { begin: '2024-01-01', end: '2024-01-05', watermark: '2024-01-03', batchSize: 'day' } as const;
    expect(() => incrementalWindows({ ...options, lookback: -1 })).toThrow();
    expect(() => incrementalWindows({ ...options, lookback: 1.5 })).toThrow();
    expect(() => incrementalWindows({ ...options, lookback: 1, watermark: 'yesterday' })).toThrow();
    expect(() => incrementalWindows({ ...options, lookback: 1, begin: '2024-13-45' })).toThrow();
  });
});
