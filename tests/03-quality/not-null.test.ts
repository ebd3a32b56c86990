import { Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { NotNullCheck } from '@mart/stage-03-quality/given';
import { runPiece } from '@mart/stage-03-quality/testing';
import { checkNotNull } from '@mart/track/03-quality';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keysOf } from '../helpers/quality.ts';

const emailCheck: NotNullCheck = {
  type: 'not_null',
  table: 'dim_customer',
  name: 'not_null(email)',
  column: 'email',
};

describe('not-null', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run('create table dim_customer (customer_key integer, name varchar, email varchar)');
  });
  afterEach(() => db?.close());

  /** Eight customers; those listed in `missing` have no email. Customer 1 has no name either way. */
  async function customers(missing: number[]) {
    await insertRows(
      db,
      'dim_customer',
      [1, 2, 3, 4, 5, 6, 7, 8].map((key) => ({
        customer_key: key,
        name: key === 1 ? null : `Customer ${key}`,
        // An empty string is a value, not a missing one.
        email: missing.includes(key) ? null : key === 4 ? '' : `c${key}@example.com`,
      })),
    );
  }

  test('no missing value passes with 0 missing, measured in one query', async () => {
    await customers([]);
    const { result, queries, failingRows } = await runPiece(db, emailCheck, checkNotNull);
    expect(result).toMatchObject({ metric: 'missing_count', value: 0, percent: 0, outcome: 'pass' });
    expect(queries).toBe(1);
    expect(failingRows ?? []).toEqual([]);
  });

  test('missing emails fail by default: exact count and percent of all rows, NULLs of other columns ignored', async () => {
    await customers([2, 5, 7]);
    const { result, queries } = await runPiece(db, emailCheck, checkNotNull);
    expect(result).toMatchObject({
      id: 'dim_customer.not_null(email)',
      type: 'not_null',
      metric: 'missing_count',
      value: 3,
      percent: 37.5,
      outcome: 'fail',
    });
    expect(queries).toBe(1);
  });

  test('failingRows selects exactly the rows with no email', async () => {
    await customers([2, 5, 7]);
    const { failingRows } = await runPiece(db, emailCheck, checkNotNull);
    expect(keysOf(failingRows, 'customer_key')).toEqual([2, 5, 7]);
  });

  test('warn max_percent 25: exactly 25% missing passes, one more row warns', async () => {
    const check: NotNullCheck = { ...emailCheck, warn: { max_percent: 25 } };
    await customers([3, 6]);
    const atBound = await runPiece(db, check, checkNotNull);
    expect(atBound.result).toMatchObject({ value: 2, percent: 25, outcome: 'pass' });

    await db.run('update dim_customer set email = null where customer_key = 8');
    const above = await runPiece(db, check, checkNotNull);
    expect(above.result).toMatchObject({ value: 3, percent: 37.5, outcome: 'warn' });
  });

  test('the fail threshold beats warn; below it, warn applies', async () => {
    const check: NotNullCheck = { ...emailCheck, fail: { max: 2 }, warn: { max: 0 } };
    await customers([3, 6]);
    expect((await runPiece(db, check, checkNotNull)).result).toMatchObject({ value: 2, outcome: 'warn' });

    await db.run('update dim_customer set email = null where customer_key = 8');
    expect((await runPiece(db, check, checkNotNull)).result).toMatchObject({ value: 3, outcome: 'fail' });
  });

  test('table and column names that need quoting (a space, a double quote)', async () => {
    const table = 'dim "odd" customer';
    const column = 'e"mail';
    await db.run(`create table ${quoteIdentifier(table)} ("customer key" integer, ${quoteIdentifier(column)} varchar)`);
    await insertRows(db, table, [
      { 'customer key': 1, [column]: 'a@example.com' },
      { 'customer key': 2, [column]: null },
      { 'customer key': 3, [column]: 'c@example.com' },
      { 'customer key': 4, [column]: 'd@example.com' },
    ]);
    const check: NotNullCheck = { type: 'not_null', table, name: 'not_null(e"mail)', column };
    const { result, failingRows } = await runPiece(db, check, checkNotNull);
    expect(result).toMatchObject({ metric: 'missing_count', value: 1, percent: 25, outcome: 'fail' });
    expect(keysOf(failingRows, 'customer key')).toEqual([2]);
  });

  test('an empty table has nothing missing: pass, 0%', async () => {
    const { result } = await runPiece(db, emailCheck, checkNotNull);
    expect(result).toMatchObject({ metric: 'missing_count', value: 0, percent: 0, outcome: 'pass' });
  });
});
