import { customers, saleLines } from '@mart/stage-01-star-schema/seed';
import { topCustomers } from '@mart/track/01-star-schema';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  addSale,
  lineAmount,
  referenceWarehouse,
  rolledBack,
  type TemporaryWarehouse,
} from '../helpers/reference-warehouse.ts';

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

  test('a limit of 1 returns exactly one row: the best customer', async () => {
    const best = expectedRanking()[0];
    expect(await topCustomers(warehouse.db, 1)).toEqual([
      { customer_id: best?.customer_id, name: best?.name, revenue: (best?.cents ?? 0) / 100, sales: best?.sales },
    ]);
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

  test('a tie in revenue goes to the smaller customer_id, also where the limit cuts the tie', async () => {
    const best = expectedRanking()[0];
    const cents = best?.cents ?? 0;
    const rows = await rolledBack(warehouse.db, async () => {
      // Three new customers, added out of id order, each spending exactly what the best one spent.
      const lastKey = await warehouse.db.value<number>('select max(customer_key) from dim_customer');
      for (const [i, id] of ['C999', 'C000', 'C500'].entries()) {
        await warehouse.db.run('insert into dim_customer (customer_key, customer_id, name) values ($1, $2, $3)', [
          lastKey + i + 1,
          id,
          `Tie ${id}`,
        ]);
        await addSale(warehouse.db, { saleId: `TIE-${id}`, customerKey: lastKey + i + 1, cents });
      }
      return topCustomers(warehouse.db, 3);
    });
    // Four customers share the top revenue; the limit of 3 keeps the three smallest ids.
    expect(rows.map((row) => [row.customer_id, row.revenue])).toEqual(
      ['C000', best?.customer_id, 'C500'].map((id) => [id, cents / 100]),
    );
  });

  test('the limit goes in as a query parameter, not into the SQL text', async () => {
    const calls = [vi.spyOn(warehouse.db, 'all'), vi.spyOn(warehouse.db, 'value'), vi.spyOn(warehouse.db, 'run')];
    try {
      expect(await topCustomers(warehouse.db, 7)).toHaveLength(7);
      const statements = calls.flatMap((spy) => spy.mock.calls.map(([sql, params]) => ({ sql, params })));
      // The SQL your function ran with a 7 written into it (none expected)…
      expect(statements.filter(({ sql }) => /(?<![\w$])7(?!\w)/.test(sql)).map(({ sql }) => sql)).toEqual([]);
      // …and the parameters it bound: one of them is the limit.
      const bound = statements.flatMap(({ params }) =>
        Object.values(params ?? {}).map((v) => (typeof v === 'bigint' ? Number(v) : v)),
      );
      expect(bound).toContain(7);
    } finally {
      for (const spy of calls) spy.mockRestore();
    }
  });

  test('rejects a limit that is not a whole number of at least 1', async () => {
    expect(await topCustomers(warehouse.db, 1)).toHaveLength(1); // a working function first
    await expect(topCustomers(warehouse.db, 0)).rejects.toThrow(RangeError);
    await expect(topCustomers(warehouse.db, 2.5)).rejects.toThrow(RangeError);
    await expect(topCustomers(warehouse.db, -3)).rejects.toThrow(RangeError);
  });
});
