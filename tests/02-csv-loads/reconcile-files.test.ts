import { Database, type InsertValue, insertRows, quoteIdentifier } from '@mart/shared';
import { reconcileFiles } from '@mart/track/02-csv-loads';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

describe('reconcile-files', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    // The two bookkeeping tables exactly as the stage 2 loader creates them.
    await db.run(`
      create table load_files (file varchar primary key, target_table varchar not null, read integer not null, bytes bigint not null);
      create table rejected_rows (file varchar not null, line integer not null, rule varchar not null, reason varchar not null, record varchar not null);`);
  });
  afterEach(() => db?.close());

  /** A target table holding `rows` rows. */
  async function target(table: string, rows: number): Promise<void> {
    await db.run(`create table ${quoteIdentifier(table)} (id integer)`);
    if (rows > 0) await db.run(`insert into ${quoteIdentifier(table)} select range from range($1)`, [rows]);
  }

  /** Records a file in load_files and its rejects (on lines 2, 3 …) in rejected_rows. */
  async function file(name: string, targetTable: string, read: number, rejected: number): Promise<void> {
    await insertRows(db, 'load_files', [{ file: name, target_table: targetTable, read, bytes: 100 * read }]);
    const rejects: Array<Record<string, InsertValue>> = Array.from({ length: rejected }, (_, i) => ({
      file: name,
      line: i + 2,
      rule: 'value',
      reason: 'quantity: missing',
      record: 'T1,,3',
    }));
    await insertRows(db, 'rejected_rows', rejects);
  }

  test('one row per file, ordered by file name, with read, loaded, rejected and balanced', async () => {
    await target('dim_store', 4);
    await target('dim_customer', 3);
    await target('fact_sales', 5);
    await file('stores.csv', 'dim_store', 4, 0);
    await file('customers.csv', 'dim_customer', 5, 2);
    await file('sales.csv', 'fact_sales', 7, 2);
    expect(await reconcileFiles(db)).toEqual([
      { file: 'customers.csv', read: 5, loaded: 3, rejected: 2, balanced: true },
      { file: 'sales.csv', read: 7, loaded: 5, rejected: 2, balanced: true },
      { file: 'stores.csv', read: 4, loaded: 4, rejected: 0, balanced: true },
    ]);
  });

  test('a file that lost rows (or gained some) is not balanced', async () => {
    await target('dim_customer', 3);
    await target('fact_sales', 6);
    await file('customers.csv', 'dim_customer', 6, 2); // 3 + 2 < 6: one row vanished
    await file('sales.csv', 'fact_sales', 7, 2); // 6 + 2 > 7: one row counted twice
    expect(await reconcileFiles(db)).toEqual([
      { file: 'customers.csv', read: 6, loaded: 3, rejected: 2, balanced: false },
      { file: 'sales.csv', read: 7, loaded: 6, rejected: 2, balanced: false },
    ]);
  });

  test('rejects count only for their own file, and an empty target loads 0', async () => {
    await target('dim_product', 0);
    await target('dim_store', 2);
    await file('products.csv', 'dim_product', 3, 3);
    await file('stores.csv', 'dim_store', 3, 1);
    expect(await reconcileFiles(db)).toEqual([
      { file: 'products.csv', read: 3, loaded: 0, rejected: 3, balanced: true },
      { file: 'stores.csv', read: 3, loaded: 2, rejected: 1, balanced: true },
    ]);
  });

  test('no files loaded, no rows', async () => {
    expect(await reconcileFiles(db)).toEqual([]);
  });

  test('a target table name that needs quoting and a file name with a quote in it', async () => {
    // Both come from data: the table must be quoted, the file passed as a parameter.
    await target('fact "sales" 2024', 2);
    await file("o'neil sales.csv", 'fact "sales" 2024', 3, 1);
    expect(await reconcileFiles(db)).toEqual([
      { file: "o'neil sales.csv", read: 3, loaded: 2, rejected: 1, balanced: true },
    ]);
  });
});
