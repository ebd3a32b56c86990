import { Database, quoteIdentifier } from '@mart/shared';
import type { ColumnSpec } from '@mart/stage-02-csv-loads/given';
import { castColumn } from '@mart/track/02-csv-loads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeRegExp } from '../helpers/rejects.ts';

type Cast = { raw: string | null; value: unknown; problem: string | null };

/** A problem that starts with the column name and quotes the trimmed value, e.g. `quantity: 'two' …whole number`. */
function problem(column: string, value: string, says: RegExp): unknown {
  return expect.stringMatching(new RegExp(`^${escapeRegExp(`${column}: '${value}'`)}.*${says.source}`));
}

describe('cast-column', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:');
  });
  afterAll(() => db?.close());

  /**
   * Stages `values` as text in a column named like the spec (as the loader does), then
   * evaluates the two expressions castColumn writes for that column, row by row.
   */
  async function cast(column: ColumnSpec, values: ReadonlyArray<string | null>): Promise<Cast[]> {
    const sql = castColumn(column);
    await db.run(`create or replace table staged (i integer, ${quoteIdentifier(column.name)} varchar)`);
    for (const [i, value] of values.entries()) {
      await db.run('insert into staged values ($1, $2)', [i, value]);
    }
    return db.all<Cast>(
      `select ${quoteIdentifier(column.name)} as raw, ${sql.value} as value, ${sql.problem} as problem
         from staged order by i`,
    );
  }

  test('text: trimmed, empty as NULL, and a required one reports "missing"', async () => {
    const rows = await cast({ name: 'name', type: 'text', required: true }, [
      ' Harbour ',
      'two words',
      '',
      '   ',
      null,
    ]);
    expect(rows).toEqual([
      { raw: ' Harbour ', value: 'Harbour', problem: null },
      { raw: 'two words', value: 'two words', problem: null },
      { raw: '', value: null, problem: expect.stringMatching(/^name: missing/) },
      { raw: '   ', value: null, problem: expect.stringMatching(/^name: missing/) },
      { raw: null, value: null, problem: expect.stringMatching(/^name: missing/) },
    ]);
  });

  test('optional text: an empty value loads as NULL without a problem', async () => {
    const rows = await cast({ name: 'email', type: 'text', required: false }, [' a@b.example', '', null]);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      ['a@b.example', null],
      [null, null],
      [null, null],
    ]);
  });

  test('integer: digits only become whole numbers, anything else says why', async () => {
    const rows = await cast({ name: 'quantity', type: 'integer', required: true }, [
      '3',
      ' 7 ',
      '-4',
      'two',
      '2.5',
      '',
      ' 1 2 ',
    ]);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      [3, null],
      [7, null],
      [-4, null],
      // try_cast('2.5' as integer) would round to 3: a fraction is not a whole number.
      [null, problem('quantity', 'two', /whole number/)],
      [null, problem('quantity', '2.5', /whole number/)],
      [null, expect.stringMatching(/^quantity: missing/)],
      // The reason quotes the value trimmed, as it was typed.
      [null, problem('quantity', '1 2', /whole number/)],
    ]);
  });

  test("integer with rule 'positive': 0 and negatives are rejected", async () => {
    const rows = await cast({ name: 'quantity', type: 'integer', required: true, rule: 'positive' }, [
      '1',
      '0',
      '-1',
      'x',
    ]);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      [1, null],
      [0, problem('quantity', '0', /more than 0/)],
      [-1, problem('quantity', '-1', /more than 0/)],
      [null, problem('quantity', 'x', /whole number/)],
    ]);
  });

  test("optional integer with rule 'not-negative': empty is NULL and fine, 0 is fine, -2 is not", async () => {
    const rows = await cast({ name: 'stock', type: 'integer', required: false, rule: 'not-negative' }, [
      '',
      null,
      '0',
      '12',
      '-2',
      'many',
    ]);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      [null, null],
      [null, null],
      [0, null],
      [12, null],
      [-2, problem('stock', '-2', /not be negative/)],
      [null, problem('stock', 'many', /whole number/)],
    ]);
  });

  test('decimal: typed to two decimals, words are not numbers', async () => {
    const rows = await cast({ name: 'unit_price', type: 'decimal', required: true, rule: 'not-negative' }, [
      '12.5',
      ' 3.10 ',
      '12.345',
      '0',
      '7',
      '-1.50',
      'ten',
      '',
    ]);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      [12.5, null],
      [3.1, null],
      [12.35, null], // decimal(10, 2) keeps cents
      [0, null],
      [7, null],
      [-1.5, problem('unit_price', '-1.50', /not be negative/)],
      [null, problem('unit_price', 'ten', /number/)],
      [null, expect.stringMatching(/^unit_price: missing/)],
    ]);
  });

  test('date: only real YYYY-MM-DD days', async () => {
    const rows = await cast({ name: 'sale_date', type: 'date', required: true }, [
      '2024-02-29',
      ' 2024-03-01 ',
      '2024-02-30',
      '2023-02-29',
      'yesterday',
      '',
    ]);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      ['2024-02-29', null],
      ['2024-03-01', null],
      [null, problem('sale_date', '2024-02-30', /date/)],
      [null, problem('sale_date', '2023-02-29', /date/)], // 2023 is not a leap year
      [null, problem('sale_date', 'yesterday', /date/)],
      [null, expect.stringMatching(/^sale_date: missing/)],
    ]);
  });

  test('optional date: an empty value loads as NULL without a problem', async () => {
    const rows = await cast({ name: 'signup_date', type: 'date', required: false }, ['', '2024-01-15', 'soon']);
    expect(rows.map((row) => [row.value, row.problem])).toEqual([
      [null, null],
      ['2024-01-15', null],
      [null, problem('signup_date', 'soon', /date/)],
    ]);
  });

  test('column names that need quoting (a space, a double quote, a keyword, a single quote) still work', async () => {
    // The name comes from a file's header: unquoted, each of these is broken or different SQL.
    const price = await cast({ name: 'unit price', type: 'decimal', required: true, rule: 'positive' }, [
      '2.50',
      'ten',
      '0',
    ]);
    expect(price.map((row) => [row.value, row.problem])).toEqual([
      [2.5, null],
      [null, problem('unit price', 'ten', /number/)],
      [0, problem('unit price', '0', /more than 0/)],
    ]);

    const said = await cast({ name: 'say "hi"', type: 'text', required: true }, [' hi ', '']);
    expect(said.map((row) => [row.value, row.problem])).toEqual([
      ['hi', null],
      [null, expect.stringMatching(/^say "hi": missing/)],
    ]);

    const order = await cast({ name: 'order', type: 'integer', required: false }, ['5', 'five']);
    expect(order.map((row) => [row.value, row.problem])).toEqual([
      [5, null],
      [null, problem('order', 'five', /whole number/)],
    ]);

    // A single quote in the name must not end the message's string literal early.
    const clock = await cast({ name: "o'clock", type: 'integer', required: true }, ['7', '', 'x']);
    expect(clock.map((row) => [row.value, row.problem])).toEqual([
      [7, null],
      [null, "o'clock: missing"],
      [null, problem("o'clock", 'x', /whole number/)],
    ]);
  });
});
