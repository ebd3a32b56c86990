import { Database, insertRows, quoteIdentifier } from '@mart/shared';
import type { AcceptedValuesCheck } from '@mart/stage-03-quality/given';
import { runPiece } from '@mart/stage-03-quality/testing';
import { checkAcceptedValues } from '@mart/track/03-quality';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { keysOf } from '../helpers/quality.ts';

const segmentCheck: AcceptedValuesCheck = {
  type: 'accepted_values',
  table: 'dim_customer',
  name: 'accepted_values(segment)',
  column: 'segment',
  values: ['Consumer', 'Corporate', 'Home Office'],
};

describe('accepted-values', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run('create table dim_customer (customer_key integer, segment varchar, loyalty_tier integer)');
  });
  afterEach(() => db?.close());

  async function segments(values: Array<string | null>) {
    await insertRows(
      db,
      'dim_customer',
      values.map((segment, i) => ({ customer_key: i + 1, segment, loyalty_tier: 1 })),
    );
  }

  test('every value in the list passes with 0 invalid, measured in one query', async () => {
    await segments(['Consumer', 'Corporate', 'Home Office', 'Consumer']);
    const { result, queries, failingRows } = await runPiece(db, segmentCheck, checkAcceptedValues);
    expect(result).toMatchObject({ metric: 'invalid_count', value: 0, percent: 0, outcome: 'pass' });
    expect(queries).toBe(1);
    expect(failingRows ?? []).toEqual([]);
  });

  test('values outside the list fail: exact count and percent; failingRows are those rows (case counts)', async () => {
    await segments([
      'Consumer',
      'Enterprize',
      'Corporate',
      'consumer',
      'Home Office',
      'Enterprize',
      'Consumer',
      'Corporate',
    ]);
    const { result, queries, failingRows } = await runPiece(db, segmentCheck, checkAcceptedValues);
    expect(result).toMatchObject({
      id: 'dim_customer.accepted_values(segment)',
      type: 'accepted_values',
      metric: 'invalid_count',
      value: 3,
      percent: 37.5,
      outcome: 'fail',
    });
    expect(queries).toBe(1);
    expect(keysOf(failingRows, 'customer_key')).toEqual([2, 4, 6]);
  });

  test("NULL is not_null's business: neither counted nor a failing row, but counted among all rows", async () => {
    await segments(['Consumer', null, 'Enterprize', null]);
    const { result, failingRows } = await runPiece(db, segmentCheck, checkAcceptedValues);
    expect(result).toMatchObject({ value: 1, percent: 25, outcome: 'fail' });
    expect(keysOf(failingRows, 'customer_key')).toEqual([3]);
  });

  test("values go in as parameters: O'Brien and an injection attempt are plain values; the table survives", async () => {
    const injection = "'); drop table dim_customer; --";
    const check: AcceptedValuesCheck = { ...segmentCheck, values: ["O'Brien", injection, 'Consumer'] };
    await segments(["O'Brien", injection, 'Consumer', 'Smith', "O''Brien"]);
    const { result, failingRows } = await runPiece(db, check, checkAcceptedValues);
    expect(result).toMatchObject({ metric: 'invalid_count', value: 2, percent: 40, outcome: 'fail' });
    expect(keysOf(failingRows, 'customer_key')).toEqual([4, 5]);
    expect(await db.value<number>('select count(*) from dim_customer')).toBe(5);
  });

  test('numbers in the list match a numeric column', async () => {
    await insertRows(
      db,
      'dim_customer',
      [1, 2, 3, 4, 2, 7].map((tier, i) => ({ customer_key: i + 1, segment: 'Consumer', loyalty_tier: tier })),
    );
    const check: AcceptedValuesCheck = {
      ...segmentCheck,
      name: 'accepted_values(loyalty_tier)',
      column: 'loyalty_tier',
      values: [1, 2, 3],
    };
    const { result, failingRows } = await runPiece(db, check, checkAcceptedValues);
    expect(result).toMatchObject({ metric: 'invalid_count', value: 2, outcome: 'fail' });
    expect(keysOf(failingRows, 'customer_key')).toEqual([4, 6]);
  });

  test('warn max 1: exactly one invalid row passes, two warn', async () => {
    const check: AcceptedValuesCheck = { ...segmentCheck, warn: { max: 1 } };
    await segments(['Consumer', 'Enterprize', 'Corporate']);
    expect((await runPiece(db, check, checkAcceptedValues)).result).toMatchObject({ value: 1, outcome: 'pass' });

    await segments(['Retail']);
    expect((await runPiece(db, check, checkAcceptedValues)).result).toMatchObject({ value: 2, outcome: 'warn' });
  });

  test('table and column names that need quoting (a space, a double quote)', async () => {
    const table = 'dim "odd" customer';
    const column = 'seg"ment';
    await db.run(`create table ${quoteIdentifier(table)} ("customer key" integer, ${quoteIdentifier(column)} varchar)`);
    await insertRows(db, table, [
      { 'customer key': 1, [column]: 'Consumer' },
      { 'customer key': 2, [column]: 'Enterprize' },
    ]);
    const check: AcceptedValuesCheck = { ...segmentCheck, table, name: 'accepted_values(seg"ment)', column };
    const { result, failingRows } = await runPiece(db, check, checkAcceptedValues);
    expect(result).toMatchObject({ metric: 'invalid_count', value: 1, percent: 50, outcome: 'fail' });
    expect(keysOf(failingRows, 'customer key')).toEqual([2]);
  });
});
