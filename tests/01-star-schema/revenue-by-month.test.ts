import { saleLines } from '@mart/stage-01-star-schema/seed';
import { revenueByMonth } from '@mart/track/01-star-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lineAmount, referenceWarehouse, type TemporaryWarehouse } from '../helpers/reference-warehouse.ts';

/** Computed from the seed rows in TypeScript, independently of any SQL. */
function expectedByMonth() {
  const months = new Map<string, { cents: number; sales: Set<string>; units: number }>();
  for (const line of saleLines) {
    const month = line.sale_date.slice(0, 7);
    const entry = months.get(month) ?? { cents: 0, sales: new Set(), units: 0 };
    entry.cents += lineAmount(line);
    entry.sales.add(line.sale_id);
    entry.units += line.quantity;
    months.set(month, entry);
  }
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, entry]) => ({ month, revenue: entry.cents / 100, sales: entry.sales.size, units: entry.units }));
}

describe('revenue-by-month', () => {
  let warehouse: TemporaryWarehouse;
  beforeAll(async () => {
    warehouse = await referenceWarehouse();
  });
  afterAll(() => warehouse?.close());

  test('one row per month with sales, oldest first', async () => {
    const rows = await revenueByMonth(warehouse.db);
    expect(rows.map((row) => row.month)).toEqual(expectedByMonth().map((row) => row.month));
  });

  test('revenue, sales and units match the seed rows', async () => {
    const rows = await revenueByMonth(warehouse.db);
    const expected = expectedByMonth();
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      const want = expected[i];
      expect(row.revenue).toBeCloseTo(want?.revenue ?? Number.NaN, 2);
      expect(row).toMatchObject({ month: want?.month, sales: want?.sales, units: want?.units });
    });
  });

  test('returns plain numbers, not bigints or decimals', async () => {
    const [row] = await revenueByMonth(warehouse.db);
    expect(typeof row?.revenue).toBe('number');
    expect(typeof row?.sales).toBe('number');
    expect(typeof row?.units).toBe('number');
  });

  test('monthly revenue adds up to the total in fact_sales', async () => {
    const rows = await revenueByMonth(warehouse.db);
    const total = await warehouse.db.value<number>('select sum(amount)::double from fact_sales');
    expect(rows.reduce((sum, row) => sum + row.revenue, 0)).toBeCloseTo(total, 2);
  });
});
