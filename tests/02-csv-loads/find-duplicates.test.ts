import { Database, type InsertValue, insertRows, quoteIdentifier } from '@mart/shared';
import { findDuplicates } from '@mart/track/02-csv-loads';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { expectRejects } from '../helpers/rejects.ts';

describe('find-duplicates', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
  });
  afterEach(() => db?.close());

  /** A typed table as the loader builds it: `_line`, the typed columns, `_problem`. */
  async function typedTable(table: string, columns: string, rows: Array<Record<string, InsertValue>>) {
    await db.run(`create table ${quoteIdentifier(table)} (_line integer, ${columns}, _problem varchar)`);
    await insertRows(db, table, rows);
  }

  test('three copies of a key: the two later ones are rejected, by line, naming the key and the line that won', async () => {
    // Stored out of line order: the first copy is the lowest line, not the first row stored.
    await typedTable('typed_customers', 'customer_id varchar, name varchar', [
      { _line: 9, customer_id: 'C1', name: 'Ann again', _problem: null },
      { _line: 2, customer_id: 'C1', name: 'Ann', _problem: null },
      { _line: 3, customer_id: 'C2', name: 'Bob', _problem: null },
      { _line: 4, customer_id: 'C1', name: 'Ann twice', _problem: null },
      { _line: 5, customer_id: 'C3', name: 'Cy', _problem: null },
      { _line: 7, customer_id: 'C2', name: 'Bob again', _problem: null },
    ]);
    const rejects = await findDuplicates(db, 'typed_customers', ['customer_id']);
    // By line across keys: C1's and C2's rejects interleave.
    expectRejects(rejects, [
      { line: 4, mentions: ['customer_id', "'C1'", 'line 2'] },
      { line: 7, mentions: ['customer_id', "'C2'", 'line 3'] },
      { line: 9, mentions: ['customer_id', "'C1'", 'line 2'] },
    ]);
  });

  test('no repeated key, no rejects', async () => {
    await typedTable('typed_stores', 'store_id varchar', [
      { _line: 2, store_id: 'S1', _problem: null },
      { _line: 3, store_id: 'S2', _problem: null },
    ]);
    expect(await findDuplicates(db, 'typed_stores', ['store_id'])).toEqual([]);
  });

  test('the first valid copy wins: a copy with a problem neither wins nor is reported', async () => {
    await typedTable('typed_customers', 'customer_id varchar, name varchar', [
      { _line: 2, customer_id: 'C3', name: null, _problem: 'name: missing' },
      { _line: 3, customer_id: 'C3', name: 'Cy', _problem: null },
      { _line: 4, customer_id: 'C3', name: 'Cy', _problem: null },
      // Already rejected for another reason: it must not be rejected twice.
      { _line: 5, customer_id: 'C3', name: 'Cy', _problem: "customer_id: 'x' is odd" },
      { _line: 6, customer_id: 'C4', name: 'Di', _problem: null },
    ]);
    const rejects = await findDuplicates(db, 'typed_customers', ['customer_id']);
    expectRejects(rejects, [{ line: 4, mentions: ['customer_id', "'C3'", 'line 3'] }]);
  });

  test('a two-column key: only rows repeating both values are duplicates', async () => {
    await typedTable('typed_sales', 'sale_id varchar, line_number integer, quantity integer', [
      { _line: 2, sale_id: 'T1', line_number: 1, quantity: 1, _problem: null },
      { _line: 3, sale_id: 'T1', line_number: 2, quantity: 1, _problem: null },
      { _line: 4, sale_id: 'T2', line_number: 1, quantity: 1, _problem: null },
      { _line: 5, sale_id: 'T1', line_number: 2, quantity: 3, _problem: null },
      { _line: 6, sale_id: 'T2', line_number: 2, quantity: 1, _problem: null },
      { _line: 9, sale_id: 'T1', line_number: 1, quantity: 2, _problem: null },
    ]);
    const rejects = await findDuplicates(db, 'typed_sales', ['sale_id', 'line_number']);
    expectRejects(rejects, [
      { line: 5, mentions: ['sale_id', 'line_number', "'T1'", "'2'", 'line 3'] },
      { line: 9, mentions: ['sale_id', 'line_number', "'T1'", "'1'", 'line 2'] },
    ]);
  });

  test('table and key names that need quoting', async () => {
    await typedTable('typed "odd" sales', '"sale id" varchar, "order" integer', [
      { _line: 2, 'sale id': 'T1', order: 1, _problem: null },
      { _line: 3, 'sale id': 'T1', order: 1, _problem: null },
      { _line: 4, 'sale id': 'T1', order: 2, _problem: null },
    ]);
    const rejects = await findDuplicates(db, 'typed "odd" sales', ['sale id', 'order']);
    expectRejects(rejects, [{ line: 3, mentions: ['sale id', "'T1'", "'1'", 'line 2'] }]);
  });
});
