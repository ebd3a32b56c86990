import { Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { Reference } from '@mart/stage-02-csv-loads/given';
import { findOrphans } from '@mart/track/02-csv-loads';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { expectRejects } from '../helpers/rejects.ts';

const customerReference: Reference = {
  table: 'typed_sales',
  column: 'customer_id',
  dimension: 'dim_customer',
  dimensionColumn: 'customer_id',
};
const storeReference: Reference = {
  table: 'typed_sales',
  column: 'store_id',
  dimension: 'dim_store',
  dimensionColumn: 'store_id',
};

describe('find-orphans', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run(`
      create table dim_customer (customer_key integer, customer_id varchar, name varchar);
      create table dim_store (store_key integer, store_id varchar, name varchar);
      create table typed_sales (_line integer, sale_id varchar, customer_id varchar, store_id varchar, _problem varchar);`);
    await insertRows(db, 'dim_customer', [
      { customer_key: 1, customer_id: 'C1', name: 'Ann' },
      { customer_key: 2, customer_id: 'C2', name: 'Bob' },
    ]);
    await insertRows(db, 'dim_store', [
      { store_key: 1, store_id: 'S1', name: 'Harbour' },
      { store_key: 2, store_id: 'S2', name: 'Market' },
    ]);
    // Stored out of line order, so only an `order by` gives the rejects by line.
    await insertRows(db, 'typed_sales', [
      { _line: 6, sale_id: 'T5', customer_id: 'C9', store_id: 'S2', _problem: null },
      { _line: 2, sale_id: 'T1', customer_id: 'C1', store_id: 'S1', _problem: null },
      { _line: 3, sale_id: 'T2', customer_id: 'C9', store_id: 'S1', _problem: null },
      { _line: 4, sale_id: 'T3', customer_id: 'C2', store_id: 'S9', _problem: null },
      // Already rejected (a bad quantity): not checked again, though C8 and S8 are unknown.
      { _line: 5, sale_id: 'T4', customer_id: 'C8', store_id: 'S8', _problem: 'quantity: missing' },
      { _line: 7, sale_id: 'T6', customer_id: 'C2', store_id: 'S2', _problem: null },
    ]);
  });
  afterEach(() => db?.close());

  test('sales whose customer is not in dim_customer, by line, naming the value and the dimension', async () => {
    const rejects = await findOrphans(db, customerReference);
    expectRejects(rejects, [
      { line: 3, mentions: ['customer_id', "'C9'", 'dim_customer'] },
      { line: 6, mentions: ['customer_id', "'C9'", 'dim_customer'] },
    ]);
  });

  test('each reference checks its own column: the store check finds only the unknown store', async () => {
    const rejects = await findOrphans(db, storeReference);
    expectRejects(rejects, [{ line: 4, mentions: ['store_id', "'S9'", 'dim_store'] }]);
  });

  test('rows that already have a problem are not checked', async () => {
    const rejects = await findOrphans(db, customerReference);
    expect(rejects.map((reject) => reject.line)).not.toContain(5);
    expect(rejects.filter((reject) => reject.reason.includes('C8'))).toEqual([]);
  });

  test('no orphans, no rejects; an empty dimension makes every checked row an orphan', async () => {
    await db.run("delete from typed_sales where customer_id = 'C9'");
    expect(await findOrphans(db, customerReference)).toEqual([]);

    await db.run('delete from dim_store');
    const rejects = await findOrphans(db, storeReference);
    expect(rejects.map((reject) => reject.line)).toEqual([2, 4, 7]);
  });

  test('a NULL in the dimension column hides no orphan (the NOT IN trap)', async () => {
    // `x not in (select …)` is NULL, never true, once the list holds a NULL: every orphan would vanish.
    await insertRows(db, 'dim_customer', [{ customer_key: 3, customer_id: null, name: 'Unknown' }]);
    const rejects = await findOrphans(db, customerReference);
    expectRejects(rejects, [
      { line: 3, mentions: ['customer_id', "'C9'", 'dim_customer'] },
      { line: 6, mentions: ['customer_id', "'C9'", 'dim_customer'] },
    ]);
  });

  test('the fact and dimension columns may have different names', async () => {
    await db.run(`
      create table typed_returns (_line integer, returned_by varchar, _problem varchar);
      insert into typed_returns values (2, 'C2', null), (3, 'C7', null), (4, 'C1', null);`);
    const rejects = await findOrphans(db, {
      table: 'typed_returns',
      column: 'returned_by',
      dimension: 'dim_customer',
      dimensionColumn: 'customer_id',
    });
    expectRejects(rejects, [{ line: 3, mentions: ['returned_by', "'C7'", 'dim_customer'] }]);
  });

  test('table, column and dimension names that need quoting', async () => {
    const names: Reference = {
      table: 'typed "odd" sales',
      column: 'buyer id',
      dimension: 'dim customer',
      dimensionColumn: 'order',
    };
    await db.run(`
      create table ${quoteIdentifier(names.dimension)} (${quoteIdentifier(names.dimensionColumn)} varchar);
      create table ${quoteIdentifier(names.table)} (_line integer, ${quoteIdentifier(names.column)} varchar, _problem varchar);
      insert into ${quoteIdentifier(names.dimension)} values ('C1');
      insert into ${quoteIdentifier(names.table)} values (2, 'C1', null), (3, 'C2', null);`);
    const rejects = await findOrphans(db, names);
    expectRejects(rejects, [{ line: 3, mentions: ['buyer id', "'C2'", 'dim customer'] }]);
  });
});
