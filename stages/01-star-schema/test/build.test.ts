import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAtomically, type Database, withDatabase } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildStarSchema, seedInput } from '../src/index.ts';
import { customers, products, saleLines, stores } from '../src/seed/index.ts';
import {
  referenceStarPieces,
  referenceWarehouse,
  type TemporaryWarehouse,
} from '../src/testing/reference-warehouse.ts';

describe('stage 1 build', () => {
  let warehouse: TemporaryWarehouse;
  let db: Database;
  beforeAll(async () => {
    warehouse = await referenceWarehouse();
    db = warehouse.db;
  });
  afterAll(() => warehouse?.close());

  test('the seed meets the lesson minimums (20 customers, 15 products, 5 stores, 200 lines, 12+ months)', () => {
    expect(customers.length).toBeGreaterThanOrEqual(20);
    expect(products.length).toBeGreaterThanOrEqual(15);
    expect(stores.length).toBeGreaterThanOrEqual(5);
    expect(saleLines.length).toBeGreaterThanOrEqual(200);
    expect(new Set(saleLines.map((line) => line.sale_date.slice(0, 7))).size).toBeGreaterThanOrEqual(12);
  });

  test('every table holds one row per seed row', async () => {
    const counts = await db.all<{ table_name: string; n: number }>(`
      select 'dim_customer' as table_name, count(*)::int as n from dim_customer union all
      select 'dim_product', count(*)::int from dim_product union all
      select 'dim_store', count(*)::int from dim_store union all
      select 'fact_sales', count(*)::int from fact_sales`);
    expect(Object.fromEntries(counts.map((row) => [row.table_name, row.n]))).toEqual({
      dim_customer: customers.length,
      dim_product: products.length,
      dim_store: stores.length,
      fact_sales: saleLines.length,
    });
  });

  test('dim_date covers whole years around the sales, one row per day', async () => {
    const years = saleLines.map((line) => Number(line.sale_date.slice(0, 4)));
    const first = Math.min(...years);
    const last = Math.max(...years);
    const days = (Date.UTC(last, 11, 31) - Date.UTC(first, 0, 1)) / 86_400_000 + 1;
    const range = await db.all<{ n: number; lo: string; hi: string }>(
      'select count(*)::int as n, min(full_date) as lo, max(full_date) as hi from dim_date',
    );
    expect(range[0]).toEqual({ n: days, lo: `${first}-01-01`, hi: `${last}-12-31` });
  });

  test('keys are declared: primary keys, unique natural keys and the fact’s foreign keys', async () => {
    const constraints = await db.all<{ table_name: string; constraint_type: string; columns: string }>(`
      select table_name, constraint_type, array_to_string(constraint_column_names, ',') as columns
        from duckdb_constraints()
       where constraint_type in ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
       order by all`);
    const has = (table: string, type: string, columns: string) =>
      constraints.some((c) => c.table_name === table && c.constraint_type === type && c.columns === columns);
    expect(has('dim_customer', 'PRIMARY KEY', 'customer_key')).toBe(true);
    expect(has('dim_customer', 'UNIQUE', 'customer_id')).toBe(true);
    expect(has('dim_product', 'PRIMARY KEY', 'product_key')).toBe(true);
    expect(has('dim_store', 'PRIMARY KEY', 'store_key')).toBe(true);
    expect(has('dim_date', 'PRIMARY KEY', 'date_key')).toBe(true);
    expect(has('fact_sales', 'PRIMARY KEY', 'sale_id,line_number')).toBe(true);
    for (const column of ['date_key', 'customer_key', 'product_key', 'store_key']) {
      expect(has('fact_sales', 'FOREIGN KEY', column)).toBe(true);
    }
  });

  test('surrogate keys are 1…n in natural-key order', async () => {
    const rows = await db.all<{ customer_key: number; customer_id: string }>(
      'select customer_key, customer_id from dim_customer order by customer_key',
    );
    expect(rows.map((row) => row.customer_key)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((row) => row.customer_id)).toEqual(customers.map((c) => c.customer_id).sort());
  });

  test('every fact line resolves to the right customer, product, store and date', async () => {
    const rows = await db.all<Record<string, string | number>>(`
      select f.sale_id, f.line_number, d.full_date as sale_date, c.customer_id, p.product_id, s.store_id,
             f.quantity, f.unit_price::double as unit_price, f.amount::double as amount
        from fact_sales f
        join dim_date d using (date_key)
        join dim_customer c using (customer_key)
        join dim_product p using (product_key)
        join dim_store s using (store_key)
       order by f.sale_id, f.line_number`);
    expect(rows).toHaveLength(saleLines.length);
    const expected = [...saleLines]
      .sort((a, b) => a.sale_id.localeCompare(b.sale_id) || a.line_number - b.line_number)
      .map((line) => ({ ...line, amount: (line.quantity * Math.round(line.unit_price * 100)) / 100 }));
    expect(rows).toEqual(expected);
  });

  test('dim_date attributes for known days', async () => {
    const rows = await db.all(
      `select date_key, year, quarter, month, month_name, day_of_week, day_name, is_weekend
         from dim_date where full_date in ('2024-02-29', '2024-12-25') order by date_key`,
    );
    expect(rows).toEqual([
      {
        date_key: 20240229,
        year: 2024,
        quarter: 1,
        month: 2,
        month_name: 'February',
        day_of_week: 4,
        day_name: 'Thursday',
        is_weekend: false,
      },
      {
        date_key: 20241225,
        year: 2024,
        quarter: 4,
        month: 12,
        month_name: 'December',
        day_of_week: 3,
        day_name: 'Wednesday',
        is_weekend: false,
      },
    ]);
  });
});

describe('atomic build', () => {
  test('a failing build leaves the previous warehouse byte for byte', async () => {
    const temp = tempDir('stage-01-atomic');
    const reference = await referenceStarPieces();
    try {
      const target = join(temp.path, 'warehouse', 'stage-01.duckdb');
      await buildAtomically(target, (db) => buildStarSchema(db, seedInput, reference));
      const before = readFileSync(target);
      const broken = {
        ...seedInput,
        saleLines: [...saleLines, { ...saleLines[0], sale_id: 'X1', customer_id: 'NOPE' }],
      };
      await expect(
        buildAtomically(target, (db) => buildStarSchema(db, broken as typeof seedInput, reference)),
      ).rejects.toThrow(/Unknown customer "NOPE"/);
      expect(readFileSync(target).equals(before)).toBe(true);
      const count = await withDatabase(target, { readOnly: true }, (db) =>
        db.value<number>('select count(*)::int from fact_sales'),
      );
      expect(count).toBe(saleLines.length);
    } finally {
      temp.remove();
    }
  });
});
