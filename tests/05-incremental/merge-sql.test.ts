import { Database } from '@mart/shared';
import type { IncrementalMergeOptions } from '@mart/stage-05-incremental/given';
import { mergeSql } from '@mart/track/05-incremental';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applyAndRead } from '../helpers/incremental.ts';

describe('merge-sql', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run(`
      create table stg_sales (sale_id varchar, line_number integer, quantity integer, amount decimal(10,2));
      insert into stg_sales values ('T1', 1, 2, 20.00), ('T1', 2, 1, 5.00), ('T2', 1, 3, 30.00);`);
  });
  afterEach(() => db?.close());

  const options = (overrides: Partial<IncrementalMergeOptions> = {}): IncrementalMergeOptions => ({
    target: '"stg_sales"',
    source: '"new_rows"',
    uniqueKey: ['sale_id', 'line_number'],
    columns: ['sale_id', 'line_number', 'quantity', 'amount'],
    predicates: [],
    ...overrides,
  });

  test('a correction replaces its row, a late line is inserted, the rest stays', async () => {
    await db.run(`create temp table new_rows as select * from (values
      ('T1', 2, 4, 20.00),   -- correction of T1 line 2
      ('T3', 1, 1, 9.50)     -- a sale that arrived late
    ) v(sale_id, line_number, quantity, amount)`);
    const statements = mergeSql(options());
    expect(statements).toHaveLength(1);
    expect(await applyAndRead(db, statements, 'stg_sales')).toEqual([
      { sale_id: 'T1', line_number: 1, quantity: 2, amount: 20 },
      { sale_id: 'T1', line_number: 2, quantity: 4, amount: 20 },
      { sale_id: 'T2', line_number: 1, quantity: 3, amount: 30 },
      { sale_id: 'T3', line_number: 1, quantity: 1, amount: 9.5 },
    ]);
  });

  test('the match uses every key column: the same sale_id with another line is a new row', async () => {
    await db.run(
      "create temp table new_rows as select * from (values ('T2', 2, 7, 70.00)) v(sale_id, line_number, quantity, amount)",
    );
    const rows = await applyAndRead(db, mergeSql(options()), 'stg_sales');
    expect(rows).toHaveLength(4);
    expect(rows.filter((row) => row.sale_id === 'T2')).toEqual([
      { sale_id: 'T2', line_number: 1, quantity: 3, amount: 30 },
      { sale_id: 'T2', line_number: 2, quantity: 7, amount: 70 },
    ]);
  });

  test('applying the same rows twice changes nothing the second time (idempotent)', async () => {
    await db.run(`create temp table new_rows as select * from (values
      ('T1', 2, 4, 20.00), ('T3', 1, 1, 9.50)) v(sale_id, line_number, quantity, amount)`);
    const once = await applyAndRead(db, mergeSql(options()), 'stg_sales');
    const twice = await applyAndRead(db, mergeSql(options()), 'stg_sales');
    expect(twice).toEqual(once);
  });

  test('incremental_predicates limit which target rows can match', async () => {
    await db.run(
      "create temp table new_rows as select * from (values ('T1', 1, 9, 90.00), ('T2', 1, 8, 80.00)) v(sale_id, line_number, quantity, amount)",
    );
    // Only T2 may be updated: T1's row falls outside the predicate, so its new version is inserted beside it.
    const rows = await applyAndRead(
      db,
      mergeSql(options({ predicates: ["DBT_INTERNAL_DEST.sale_id >= 'T2'"] })),
      'stg_sales',
    );
    expect(rows).toEqual([
      { sale_id: 'T1', line_number: 1, quantity: 2, amount: 20 },
      { sale_id: 'T1', line_number: 1, quantity: 9, amount: 90 },
      { sale_id: 'T1', line_number: 2, quantity: 1, amount: 5 },
      { sale_id: 'T2', line_number: 1, quantity: 8, amount: 80 },
    ]);
  });

  test('a table whose columns are all key columns: matched rows stay, new ones are inserted', async () => {
    await db.run(`create table keys (k varchar); insert into keys values ('a'), ('b');
      create temp table new_keys as select * from (values ('b'), ('c')) v(k);`);
    const rows = await applyAndRead(
      db,
      mergeSql({ target: '"keys"', source: '"new_keys"', uniqueKey: ['k'], columns: ['k'], predicates: [] }),
      'keys',
    );
    expect(rows).toEqual([{ k: 'a' }, { k: 'b' }, { k: 'c' }]);
  });

  test('column names that need quoting (a space, a double quote, a keyword)', async () => {
    await db.run(`create table "odd ""t""" ("sale id" varchar, "order" integer, "qty ""n""" integer);
      insert into "odd ""t""" values ('A', 1, 1);
      create temp table "new ""rows""" as select * from (values ('A', 1, 5), ('B', 2, 6)) v("sale id", "order", "qty ""n""");`);
    const rows = await applyAndRead(
      db,
      mergeSql({
        target: '"odd ""t"""',
        source: '"new ""rows"""',
        uniqueKey: ['sale id', 'order'],
        columns: ['sale id', 'order', 'qty "n"'],
        predicates: [],
      }),
      '"odd ""t"""',
    );
    expect(rows).toEqual([
      { 'sale id': 'A', order: 1, 'qty "n"': 5 },
      { 'sale id': 'B', order: 2, 'qty "n"': 6 },
    ]);
  });
});
