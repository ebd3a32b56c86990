import { buildDateDimension } from '@mart/track/01-star-schema';
import { describe, expect, test } from 'vitest';

describe('date-dimension', () => {
  test('one row per day, both ends included, in order', () => {
    const rows = buildDateDimension('2024-02-27', '2024-03-02');
    expect(rows.map((row) => row.full_date)).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
    ]);
  });

  test('every attribute of a known day', () => {
    const [row] = buildDateDimension('2024-03-16', '2024-03-16');
    expect(row).toEqual({
      date_key: 20240316,
      full_date: '2024-03-16',
      year: 2024,
      quarter: 1,
      month: 3,
      month_name: 'March',
      day_of_month: 16,
      day_of_week: 6,
      day_name: 'Saturday',
      is_weekend: true,
    });
  });

  test('a whole leap year: 366 days, quarters, weekdays and weekends add up', () => {
    const rows = buildDateDimension('2024-01-01', '2024-12-31');
    expect(rows).toHaveLength(366);
    const perQuarter = [1, 2, 3, 4].map((q) => rows.filter((row) => row.quarter === q).length);
    expect(perQuarter).toEqual([91, 91, 92, 92]);
    expect(rows.filter((row) => row.is_weekend)).toHaveLength(104);
    // 2024-01-01 was a Monday; Sunday is ISO day 7.
    expect(rows[0]?.day_of_week).toBe(1);
    expect(rows[6]).toMatchObject({ full_date: '2024-01-07', day_of_week: 7, day_name: 'Sunday', is_weekend: true });
    expect(new Set(rows.map((row) => row.date_key)).size).toBe(366);
  });

  test('crosses a year end and a daylight-saving change without skipping or repeating days', () => {
    const rows = buildDateDimension('2024-10-26', '2025-01-02');
    expect(rows).toHaveLength(69);
    // Europe's clocks went back on 2024-10-27, the US's on 2024-11-03.
    expect(rows.slice(0, 3).map((row) => row.full_date)).toEqual(['2024-10-26', '2024-10-27', '2024-10-28']);
    expect(rows.slice(8, 10).map((row) => row.full_date)).toEqual(['2024-11-03', '2024-11-04']);
    expect(new Set(rows.map((row) => row.full_date)).size).toBe(69);
    expect(rows.at(-1)).toMatchObject({ date_key: 20250102, year: 2025, quarter: 1, month_name: 'January' });
  });

  test("the same rows whatever the machine's time zone (work in UTC)", () => {
    const inUtc = buildDateDimension('2024-03-29', '2024-04-01');
    const zone = process.env.TZ;
    try {
      // A learner's laptop is rarely on UTC: midnight UTC is still the day before in
      // Los Angeles and already the day after in Kiritimati.
      for (const tz of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(buildDateDimension('2024-03-29', '2024-04-01'), tz).toEqual(inUtc);
      }
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(inUtc.map((row) => [row.full_date, row.day_of_month, row.day_name])).toEqual([
      ['2024-03-29', 29, 'Friday'],
      ['2024-03-30', 30, 'Saturday'],
      ['2024-03-31', 31, 'Sunday'],
      ['2024-04-01', 1, 'Monday'],
    ]);
  });

  test('rejects a range that ends before it starts', () => {
    expect(buildDateDimension('2024-03-01', '2024-03-01')).toHaveLength(1); // a working function first
    expect(() => buildDateDimension('2024-03-02', '2024-03-01')).toThrow(Error);
  });

  test('rejects dates that do not exist', () => {
    expect(buildDateDimension('2024-02-29', '2024-03-01')).toHaveLength(2); // a working function first
    expect(() => buildDateDimension('2023-02-29', '2023-03-01')).toThrow(Error);
    expect(() => buildDateDimension('2024-01-01', 'tomorrow')).toThrow(Error);
  });
});
