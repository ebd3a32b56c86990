import { customers, saleLines } from '@mart/stage-01-star-schema/seed';
import { topCustomers } from '@mart/track/01-star-schema';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lineAmount, referenceWarehouse, type TemporaryWarehouse } from '../helpers/reference-warehouse.ts';

/** Every customer with sales, ranked in TypeScript: revenue desc, then customer_id. */
function expectedRanking() {
  const totals = new Map<string, { cents: number; sales: Set<string> }>();
  for (const line of saleLines) {
    const entry = totals.get(line.customer_id) ?? { cents: 0, sales: new Set() };
    entry.cents += lineAmount(line);
    entry.sales.add(line.sale_id);
    totals.set(line.customer_id, entry);
  }
  return [...totals.entries()]
    .map(([customer_id, entry]) => ({
      customer_id,
      name: customers.find((customer) => customer.customer_id === customer_id)?.name,
      cents: entry.cents,
      sales: entry.sales.size,
    }))
    .sort((a, b) => b.cents - a.cents || a.customer_id.localeCompare(b.customer_id));
}

describe('top-customers', () => {
  let warehouse: TemporaryWarehouse;
  beforeAll(async () => {
    warehouse = await referenceWarehouse();
  });
  afterAll(() => warehouse?.close());

  test('the top 3 customers with name, revenue and number of sales', async () => {
    const rows = await topCustomers(warehouse.db, 3);
    const expected = expectedRanking().slice(0, 3);
    expect(rows.map((row) => row.customer_id)).toEqual(expected.map((row) => row.customer_id));
    rows.forEach((row, i) => {
      expect(row.name).toBe(expected[i]?.name);
      expect(row.sales).toBe(expected[i]?.sales);
      expect(Math.round(row.revenue * 100)).toBe(expected[i]?.cents);
    });
  });

  test('the limit is honoured for several values', async () => {
    for (const limit of [1, 5, 10]) {
      expect(await topCustomers(warehouse.db, limit)).toHaveLength(limit);
    }
  });

  test('a limit above the number of buying customers returns every one of them, ranked', async () => {
    const rows = await topCustomers(warehouse.db, 500);
    expect(rows.map((row) => row.customer_id)).toEqual(expectedRanking().map((row) => row.customer_id));
  });

  test('rejects a limit that is not a whole number of at least 1', async () => {
    await expect(topCustomers(warehouse.db, 0)).rejects.toThrow(RangeError);
    await expect(topCustomers(warehouse.db, 2.5)).rejects.toThrow(RangeError);
    await expect(topCustomers(warehouse.db, -3)).rejects.toThrow(RangeError);
  });
});
