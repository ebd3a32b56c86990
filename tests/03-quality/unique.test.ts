import { Database, type InsertValue, insertRows, quoteIdentifier } from '@mart/shared';
import type { UniqueCheck } from '@mart/stage-03-quality/given';
import { runPiece } from '@mart/stage-03-quality/testing';
import { checkUnique } from '@mart/track/03-quality';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keysOf } from '../helpers/quality.ts';

const saleLineCheck: UniqueCheck = {
  type: 'unique',
  table: 'fact_sales',
  name: 'unique(sale_id,line_number)',
  columns: ['sale_id', 'line_number'],
};

type SaleLine = { row_id: number; sale_id: string | null; line_number: number | null };

describe('unique', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run(`
      create table dim_store (store_key integer, store_id varchar);
      create table fact_sales (row_id integer, sale_id varchar, line_number integer);`);
  });
  afterEach(() => db?.close());

  async function saleLines(rows: SaleLine[]) {
    await insertRows(db, 'fact_sales', rows);
  }

  test('one column without repeats passes with 0 duplicates, measured in one query', async () => {
    await insertRows(db, 'dim_store', [
      { store_key: 1, store_id: 'S1' },
      { store_key: 2, store_id: 'S2' },
      { store_key: 3, store_id: 'S3' },
    ]);
    const check: UniqueCheck = { type: 'unique', table: 'dim_store', name: 'unique(store_id)', columns: ['store_id'] };
    const { result, queries, failingRows } = await runPiece(db, check, checkUnique);
    expect(result).toMatchObject({ metric: 'duplicate_count', value: 0, percent: 0, outcome: 'pass' });
    expect(queries).toBe(1);
    expect(failingRows ?? []).toEqual([]);
  });

  test('one column: three copies of a key are two duplicates; failingRows holds all three copies', async () => {
    await insertRows(db, 'dim_store', [
      { store_key: 1, store_id: 'S1' },
      { store_key: 2, store_id: 'S2' },
      { store_key: 3, store_id: 'S1' },
      { store_key: 4, store_id: 'S3' },
      { store_key: 5, store_id: 'S1' },
    ]);
    const check: UniqueCheck = { type: 'unique', table: 'dim_store', name: 'unique(store_id)', columns: ['store_id'] };
    const { result, queries, failingRows } = await runPiece(db, check, checkUnique);
    expect(result).toMatchObject({ metric: 'duplicate_count', value: 2, percent: 40, outcome: 'fail' });
    expect(queries).toBe(1);
    expect(keysOf(failingRows, 'store_key')).toEqual([1, 3, 5]);
  });

  test('two columns: the same sale_id with another line_number is not a duplicate', async () => {
    await saleLines([
      { row_id: 1, sale_id: 'T1', line_number: 1 },
      { row_id: 2, sale_id: 'T1', line_number: 2 },
      { row_id: 3, sale_id: 'T2', line_number: 1 },
      { row_id: 4, sale_id: 'T3', line_number: 2 },
    ]);
    const { result, queries } = await runPiece(db, saleLineCheck, checkUnique);
    expect(result).toMatchObject({ metric: 'duplicate_count', value: 0, outcome: 'pass' });
    expect(queries).toBe(1);
  });

  test('two columns: each extra copy of a pair counts; failingRows are every copy, ordered by the key', async () => {
    await saleLines([
      { row_id: 1, sale_id: 'T2', line_number: 1 },
      { row_id: 2, sale_id: 'T1', line_number: 2 },
      { row_id: 3, sale_id: 'T1', line_number: 1 },
      { row_id: 4, sale_id: 'T2', line_number: 1 },
      { row_id: 5, sale_id: 'T1', line_number: 1 },
      { row_id: 6, sale_id: 'T2', line_number: 2 },
      { row_id: 7, sale_id: 'T2', line_number: 1 },
      { row_id: 8, sale_id: 'T3', line_number: 1 },
    ]);
    const { result, failingRows } = await runPiece(db, saleLineCheck, checkUnique);
    // (T1, 1) twice: one duplicate; (T2, 1) three times: two.
    expect(result).toMatchObject({ metric: 'duplicate_count', value: 3, percent: 37.5, outcome: 'fail' });
    expect((failingRows ?? []).map((row) => [row.sale_id, row.line_number])).toEqual([
      ['T1', 1],
      ['T1', 1],
      ['T2', 1],
      ['T2', 1],
      ['T2', 1],
    ]);
    expect(keysOf(failingRows, 'row_id')).toEqual([1, 3, 4, 5, 7]);
  });

  test('rows with a NULL in a key column are left out, but still count among all rows', async () => {
    await saleLines([
      { row_id: 1, sale_id: 'T1', line_number: null },
      { row_id: 2, sale_id: 'T1', line_number: null },
      { row_id: 3, sale_id: null, line_number: 1 },
      { row_id: 4, sale_id: null, line_number: 1 },
      { row_id: 5, sale_id: null, line_number: null },
      { row_id: 6, sale_id: null, line_number: null },
      { row_id: 7, sale_id: 'T2', line_number: 1 },
      { row_id: 8, sale_id: 'T2', line_number: 1 },
    ]);
    const { result, failingRows } = await runPiece(db, saleLineCheck, checkUnique);
    expect(result).toMatchObject({ value: 1, percent: 12.5, outcome: 'fail' });
    expect(keysOf(failingRows, 'row_id')).toEqual([7, 8]);
  });

  test('warn max_percent 20: exactly 20% duplicates passes, one more warns', async () => {
    const check: UniqueCheck = { ...saleLineCheck, warn: { max_percent: 20 } };
    // Rows 9 and 10 repeat the keys of rows 1 and 2: 2 duplicates in 10 rows.
    const saleIds = ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T1', 'T2'];
    await saleLines(saleIds.map((sale_id, i) => ({ row_id: i + 1, sale_id, line_number: 1 })));
    expect((await runPiece(db, check, checkUnique)).result).toMatchObject({ value: 2, percent: 20, outcome: 'pass' });

    await db.run("update fact_sales set sale_id = 'T3' where row_id = 8");
    expect((await runPiece(db, check, checkUnique)).result).toMatchObject({ value: 3, percent: 30, outcome: 'warn' });
  });

  test('table and column names that need quoting (a space, a double quote)', async () => {
    const table = 'fact "odd" sales';
    const columns = ['sale id', 'line "no"'];
    await db.run(
      `create table ${quoteIdentifier(table)} (row_id integer, ${columns.map((c) => `${quoteIdentifier(c)} varchar`).join(', ')})`,
    );
    const rows: Array<Record<string, InsertValue>> = [
      { row_id: 1, 'sale id': 'T1', 'line "no"': '1' },
      { row_id: 2, 'sale id': 'T1', 'line "no"': '2' },
      { row_id: 3, 'sale id': 'T1', 'line "no"': '1' },
      { row_id: 4, 'sale id': 'T2', 'line "no"': '1' },
    ];
    await insertRows(db, table, rows);
    const check: UniqueCheck = { type: 'unique', table, name: 'unique(sale id,line "no")', columns };
    const { result, failingRows } = await runPiece(db, check, checkUnique);
    expect(result).toMatchObject({ metric: 'duplicate_count', value: 1, percent: 25, outcome: 'fail' });
    expect(keysOf(failingRows, 'row_id')).toEqual([1, 3]);
  });
});
