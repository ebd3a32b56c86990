import { Database } from '@mart/shared';
import type { IncrementalMergeOptions } from '@mart/stage-05-incremental/given';
import { deleteInsertSql } from '@mart/track/05-incremental';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applyAndRead } from '../helpers/incremental.ts';

describe('delete-insert-sql', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run(`
      create table daily (sale_date date, store_id varchar, revenue decimal(10,2));
      insert into daily values
        ('2024-03-01', 'S1', 100.00), ('2024-03-01', 'S2', 50.00),
        ('2024-03-02', 'S1', 80.00),  ('2024-03-02', 'S2', 40.00),
        ('2024-03-03', 'S1', 10.00);`);
  });
  afterEach(() => db?.close());

  const options = (overrides: Partial<IncrementalMergeOptions> = {}): IncrementalMergeOptions => ({
    target: '"daily"',
    source: '"rebuilt"',
    uniqueKey: ['sale_date'],
    columns: ['sale_date', 'store_id', 'revenue'],
    predicates: [],
    ...overrides,
  });

  test('by partition: a rebuilt day replaces ALL rows of that day, other days stay', async () => {
    // March 2nd recomputed with a late sale: S2's row grows, and S3 appears; S1's row is gone
    // from the rebuilt day because (say) it was corrected to zero and filtered out.
    await db.run(`create temp table rebuilt as select * from (values
      ('2024-03-02'::date, 'S2', 45.00), ('2024-03-02'::date, 'S3', 12.00)) v(sale_date, store_id, revenue)`);
    const statements = deleteInsertSql(options());
    expect(statements).toHaveLength(2);
    expect(await applyAndRead(db, statements, 'daily')).toEqual([
      { sale_date: '2024-03-01', store_id: 'S1', revenue: 100 },
      { sale_date: '2024-03-01', store_id: 'S2', revenue: 50 },
      { sale_date: '2024-03-02', store_id: 'S2', revenue: 45 },
      { sale_date: '2024-03-02', store_id: 'S3', revenue: 12 },
      { sale_date: '2024-03-03', store_id: 'S1', revenue: 10 },
    ]);
  });

  test('a new day is inserted, and re-running the same batch changes nothing', async () => {
    await db.run(
      "create temp table rebuilt as select * from (values ('2024-03-04'::date, 'S1', 7.00)) v(sale_date, store_id, revenue)",
    );
    const once = await applyAndRead(db, deleteInsertSql(options()), 'daily');
    expect(once).toHaveLength(6);
    expect(await applyAndRead(db, deleteInsertSql(options()), 'daily')).toEqual(once);
  });

  test('a key of two columns replaces only matching (day, store) pairs', async () => {
    await db.run(
      "create temp table rebuilt as select * from (values ('2024-03-01'::date, 'S2', 55.00), ('2024-03-02'::date, 'S9', 1.00)) v(sale_date, store_id, revenue)",
    );
    const rows = await applyAndRead(db, deleteInsertSql(options({ uniqueKey: ['sale_date', 'store_id'] })), 'daily');
    expect(rows).toEqual([
      { sale_date: '2024-03-01', store_id: 'S1', revenue: 100 },
      { sale_date: '2024-03-01', store_id: 'S2', revenue: 55 },
      { sale_date: '2024-03-02', store_id: 'S1', revenue: 80 },
      { sale_date: '2024-03-02', store_id: 'S2', revenue: 40 },
      { sale_date: '2024-03-02', store_id: 'S9', revenue: 1 },
      { sale_date: '2024-03-03', store_id: 'S1', revenue: 10 },
    ]);
  });

  test('incremental_predicates narrow the delete: rows outside them are kept', async () => {
    await db.run(
      "create temp table rebuilt as select * from (values ('2024-03-01'::date, 'S1', 1.00)) v(sale_date, store_id, revenue)",
    );
    const rows = await applyAndRead(
      db,
      deleteInsertSql(options({ predicates: ["DBT_INTERNAL_DEST.store_id = 'S1'"] })),
      'daily',
    );
    expect(rows.filter((row) => row.sale_date === '2024-03-01')).toEqual([
      { sale_date: '2024-03-01', store_id: 'S1', revenue: 1 },
      { sale_date: '2024-03-01', store_id: 'S2', revenue: 50 },
    ]);
  });

  test('an empty batch deletes and inserts nothing', async () => {
    await db.run('create temp table rebuilt as select * from daily where false');
    expect(await applyAndRead(db, deleteInsertSql(options()), 'daily')).toHaveLength(5);
  });

  test('the insert lists the columns: a source with another column order still lands right', async () => {
    await db.run(
      "create temp table rebuilt as select 9.00 as revenue, 'S7' as store_id, '2024-03-05'::date as sale_date",
    );
    const rows = await applyAndRead(db, deleteInsertSql(options()), 'daily');
    expect(rows.at(-1)).toEqual({ sale_date: '2024-03-05', store_id: 'S7', revenue: 9 });
  });
});
