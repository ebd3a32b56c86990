import { Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { RelationshipsCheck } from '@mart/stage-03-quality/given';
import { runPiece } from '@mart/stage-03-quality/testing';
import { checkRelationships } from '@mart/track/03-quality';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keysOf } from '../helpers/quality.ts';

const customerCheck: RelationshipsCheck = {
  type: 'relationships',
  table: 'fact_sales',
  name: 'relationships(customer_key)',
  column: 'customer_key',
  to: { table: 'dim_customer', column: 'customer_key' },
};

describe('relationships', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run(`
      create table dim_customer (customer_key integer, name varchar);
      create table fact_sales (sale_id varchar, customer_key integer);`);
    await insertRows(db, 'dim_customer', [
      { customer_key: 1, name: 'Ann' },
      { customer_key: 2, name: 'Bob' },
      { customer_key: 3, name: 'Cy' },
    ]);
  });
  afterEach(() => db?.close());

  /** One sale per customer key, T1, T2… in order. */
  async function sales(customerKeys: Array<number | null>) {
    await insertRows(
      db,
      'fact_sales',
      customerKeys.map((customer_key, i) => ({ sale_id: `T${i + 1}`, customer_key })),
    );
  }

  test('every key exists: pass with 0 orphans, measured in one query', async () => {
    await sales([1, 2, 3, 1]);
    const { result, queries, failingRows } = await runPiece(db, customerCheck, checkRelationships);
    expect(result).toMatchObject({ metric: 'orphan_count', value: 0, percent: 0, outcome: 'pass' });
    expect(queries).toBe(1);
    expect(failingRows ?? []).toEqual([]);
  });

  test('orphans fail: each row counts (a missing key twice is two orphans); failingRows are those sales', async () => {
    await sales([1, 9, 2, 9, 3, 8, 1, 2]);
    const { result, queries, failingRows } = await runPiece(db, customerCheck, checkRelationships);
    expect(result).toMatchObject({
      id: 'fact_sales.relationships(customer_key)',
      type: 'relationships',
      metric: 'orphan_count',
      value: 3,
      percent: 37.5,
      outcome: 'fail',
    });
    expect(queries).toBe(1);
    expect(keysOf(failingRows, 'sale_id')).toEqual(['T2', 'T4', 'T6']);
  });

  test('a NULL key is not an orphan (not_null covers it), but counts among all rows', async () => {
    await sales([1, null, 9, null]);
    const { result, failingRows } = await runPiece(db, customerCheck, checkRelationships);
    expect(result).toMatchObject({ value: 1, percent: 25, outcome: 'fail' });
    expect(keysOf(failingRows, 'sale_id')).toEqual(['T3']);
  });

  test('a NULL in the referenced column hides no orphan (the NOT IN trap)', async () => {
    await insertRows(db, 'dim_customer', [{ customer_key: null, name: 'Unknown' }]);
    await sales([1, 9, 2, 8]);
    const { result, failingRows } = await runPiece(db, customerCheck, checkRelationships);
    expect(result).toMatchObject({ metric: 'orphan_count', value: 2, percent: 50, outcome: 'fail' });
    expect(keysOf(failingRows, 'sale_id')).toEqual(['T2', 'T4']);
  });

  test('the columns may have different names; an empty referenced table makes every key an orphan', async () => {
    await db.run(`
      create table fact_returns (return_id varchar, returned_by integer);
      insert into fact_returns values ('R1', 2), ('R2', 7), ('R3', null), ('R4', 3);`);
    const check: RelationshipsCheck = {
      type: 'relationships',
      table: 'fact_returns',
      name: 'relationships(returned_by)',
      column: 'returned_by',
      to: { table: 'dim_customer', column: 'customer_key' },
    };
    const found = await runPiece(db, check, checkRelationships);
    expect(found.result).toMatchObject({ value: 1, percent: 25, outcome: 'fail' });
    expect(keysOf(found.failingRows, 'return_id')).toEqual(['R2']);

    await db.run('delete from dim_customer');
    const empty = await runPiece(db, check, checkRelationships);
    expect(empty.result).toMatchObject({ value: 3, percent: 75, outcome: 'fail' });
    expect(keysOf(empty.failingRows, 'return_id')).toEqual(['R1', 'R2', 'R4']);
  });

  test('warn max_percent 25: exactly 25% orphans passes, one more warns', async () => {
    const check: RelationshipsCheck = { ...customerCheck, warn: { max_percent: 25 } };
    await sales([1, 2, 9, 3]);
    expect((await runPiece(db, check, checkRelationships)).result).toMatchObject({ value: 1, outcome: 'pass' });

    await db.run("update fact_sales set customer_key = 8 where sale_id = 'T4'");
    expect((await runPiece(db, check, checkRelationships)).result).toMatchObject({
      value: 2,
      percent: 50,
      outcome: 'warn',
    });
  });

  test('table and column names that need quoting (a space, a double quote)', async () => {
    const table = 'fact "odd" sales';
    const other = 'dim customer';
    await db.run(`
      create table ${quoteIdentifier(other)} (${quoteIdentifier('key "id"')} integer);
      create table ${quoteIdentifier(table)} ("sale id" varchar, "buyer key" integer);`);
    await insertRows(db, other, [{ 'key "id"': 1 }, { 'key "id"': 2 }]);
    await insertRows(db, table, [
      { 'sale id': 'T1', 'buyer key': 1 },
      { 'sale id': 'T2', 'buyer key': 5 },
      { 'sale id': 'T3', 'buyer key': 2 },
    ]);
    const check: RelationshipsCheck = {
      type: 'relationships',
      table,
      name: 'relationships(buyer key)',
      column: 'buyer key',
      to: { table: other, column: 'key "id"' },
    };
    const { result, failingRows } = await runPiece(db, check, checkRelationships);
    expect(result).toMatchObject({ metric: 'orphan_count', value: 1, outcome: 'fail' });
    expect(keysOf(failingRows, 'sale id')).toEqual(['T2']);
  });

  test('a table pointing at itself (a manager is an employee) compares different rows', async () => {
    await db.run('create table dim_employee (employee_key integer, manager_key integer)');
    await insertRows(db, 'dim_employee', [
      { employee_key: 1, manager_key: null },
      { employee_key: 2, manager_key: 1 },
      { employee_key: 3, manager_key: 99 },
      { employee_key: 4, manager_key: 2 },
    ]);
    const check: RelationshipsCheck = {
      type: 'relationships',
      table: 'dim_employee',
      name: 'relationships(manager_key)',
      column: 'manager_key',
      to: { table: 'dim_employee', column: 'employee_key' },
    };
    const { result, failingRows } = await runPiece(db, check, checkRelationships);
    expect(result).toMatchObject({ value: 1, percent: 25, outcome: 'fail' });
    expect(keysOf(failingRows, 'employee_key')).toEqual([3]);
  });
});
