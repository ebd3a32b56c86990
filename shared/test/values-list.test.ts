import { describe, expect, test } from 'vitest';
import { Database } from '../src/duckdb/database.ts';
import { valuesList } from '../src/duckdb/values-list.ts';

describe('valuesList', () => {
  test('numbers the placeholders row by row, in the order of rows.flat()', () => {
    expect(valuesList([[1, 'a', null]])).toBe('($1, $2, $3)');
    expect(
      valuesList([
        [1, 'a'],
        [2, 'b'],
        [3, null],
      ]),
    ).toBe('($1, $2), ($3, $4), ($5, $6)');
  });

  test('one insert stores every row with its values bound, quotes and nulls included', async () => {
    const db = await Database.open(':memory:');
    try {
      await db.run('create table t (id integer, name varchar, score double)');
      const rows = [
        [1, "O'Brien", 1.5],
        [2, null, null],
        [3, '$1; drop table t', -0.25],
      ];
      await db.run(`insert into t values ${valuesList(rows)}`, rows.flat());
      expect(await db.all('select * from t order by id')).toEqual([
        { id: 1, name: "O'Brien", score: 1.5 },
        { id: 2, name: null, score: null },
        { id: 3, name: '$1; drop table t', score: -0.25 },
      ]);
    } finally {
      db.close();
    }
  });
});
