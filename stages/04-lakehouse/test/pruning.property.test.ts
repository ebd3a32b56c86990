import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { quoteIdentifier } from '@mart/shared';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { cachedLakeFiles } from '../src/cached-lake-files.ts';
import { createLakeViews } from '../src/create-lake-views.ts';
import { analyzeQuery } from '../src/ducklake/read/query-needs.ts';
import {
  catalogAlias,
  commitSnapshot,
  createTable,
  deleteRows,
  insertRows,
  requireTable,
  s3TestLake,
  type TestLake,
} from '../src/testing/index.ts';

// Pruning never changes a result: on random tables (random files, some with deletes,
// values with NULLs, NaN and repeats) and random queries (random columns, random
// conjunctions of =, <, <=, >, >=, between and in, on plain and qualified columns,
// against literals of every kind), the lake read the way `pnpm stage 4 query` reads it —
// files skipped by their min/max, only the columns read fetched, by ranged GETs from a
// real S3 server into a cache that keeps what it fetched across queries — returns
// exactly the rows of the whole, unpruned table filtered by the same SQL.

const columns = [
  { name: 'id', type: 'INTEGER' },
  { name: 'day', type: 'DATE' },
  { name: 'label', type: 'VARCHAR' },
  { name: 'amount', type: 'DECIMAL(10,2)' },
  { name: 'score', type: 'DOUBLE' },
  { name: 'flag', type: 'BOOLEAN' },
] as const;
type ColumnName = (typeof columns)[number]['name'];
type Row = Record<ColumnName, string>;

/** SQL literals of each column's values (NULL included), few distinct ones so that filters hit. */
const values: Record<ColumnName, fc.Arbitrary<string>> = {
  id: fc.oneof(fc.integer({ min: -5, max: 30 }).map(String), fc.constant('null')),
  day: fc.oneof(
    fc.integer({ min: 0, max: 40 }).map((offset) => `date '2024-03-01' + ${offset}`),
    fc.constant('null::date'),
  ),
  label: fc.oneof(fc.constantFrom("'a'", "'b'", "'ab'", "'B'", "''", "'zz'"), fc.constant('null')),
  amount: fc.oneof(
    fc.integer({ min: -500, max: 5000 }).map((cents) => `${cents / 100}`),
    fc.constant('null'),
  ),
  score: fc.oneof(
    fc.double({ min: -10, max: 10, noNaN: true }).map((value) => `${Object.is(value, -0) ? '-0.0' : value}::double`),
    fc.constantFrom("'nan'::double", "'inf'::double", 'null::double'),
  ),
  flag: fc.constantFrom('true', 'false', 'null'),
};
const row: fc.Arbitrary<Row> = fc.record(values);

/** A table: 1–4 data files of 1–12 rows; some files lose rows with id below a bound (a delete file). */
const layout = fc.array(
  fc.record({
    rows: fc.array(row, { minLength: 1, maxLength: 12 }),
    deleteBelow: fc.option(fc.integer({ min: -3, max: 10 })),
  }),
  { minLength: 1, maxLength: 4 },
);

/** Constants to compare a column with: literals of the column's kind, plain string literals, and casts. */
const constants: Record<ColumnName, fc.Arbitrary<string>> = {
  id: fc.oneof(
    fc.integer({ min: -6, max: 32 }).map(String),
    fc.integer({ min: -6, max: 32 }).map((n) => `'${n}'`),
    fc.double({ min: -6, max: 32, noNaN: true }).map((n) => `${n}`),
  ),
  day: fc.oneof(
    fc.integer({ min: -2, max: 42 }).map((offset) => `'${isoDay(offset)}'`),
    fc.integer({ min: -2, max: 42 }).map((offset) => `date '${isoDay(offset)}'`),
    fc.integer({ min: -2, max: 42 }).map((offset) => `timestamp '${isoDay(offset)} 12:00:00'`),
  ),
  label: fc.constantFrom("'a'", "'ab'", "'b'", "'B'", "''", "'c'", "'zz'", "'a'::varchar"),
  amount: fc.oneof(
    fc.integer({ min: -600, max: 5100 }).map((cents) => `${cents / 100}`),
    fc.integer({ min: -6, max: 51 }).map(String),
    fc.integer({ min: -600, max: 5100 }).map((cents) => `'${cents / 100}'`),
  ),
  score: fc.oneof(
    fc.double({ min: -11, max: 11, noNaN: true }).map((n) => `${n}`),
    fc.constant("'nan'::double"),
  ),
  flag: fc.constantFrom('true', 'false'),
};

const columnName = fc.constantFrom(...columns.map((column) => column.name));
const condition = columnName.chain((column) =>
  fc.oneof(
    fc
      .record({ op: fc.constantFrom('=', '<', '<=', '>', '>='), value: constants[column], flip: fc.boolean() })
      .map(({ op, value, flip }) => ({
        column,
        sql: (ref: string) => (flip ? `${value} ${op} ${ref}` : `${ref} ${op} ${value}`),
      })),
    fc
      .record({ low: constants[column], high: constants[column] })
      .map(({ low, high }) => ({ column, sql: (ref: string) => `${ref} between ${low} and ${high}` })),
    fc
      .array(constants[column], { minLength: 1, maxLength: 3 })
      .map((list) => ({ column, sql: (ref: string) => `${ref} in (${list.join(', ')})` })),
    // Not prunable: must simply be left alone.
    fc.constant({ column, sql: (ref: string) => `${ref} is not null or ${ref} is null` }),
  ),
);
const query = fc.record({
  select: fc.subarray(columns.map((column) => column.name)),
  where: fc.array(condition, { minLength: 1, maxLength: 3 }),
  qualified: fc.boolean(),
});

function isoDay(offset: number): string {
  return new Date(Date.UTC(2024, 2, 1 + offset)).toISOString().slice(0, 10);
}

describe('pruned and ranged reads return what a whole read returns', () => {
  let lake: TestLake;
  let ranged: ReturnType<typeof cachedLakeFiles>;
  let tables = 0;
  let pruned = 0;
  let partial = 0;
  beforeAll(async () => {
    lake = await s3TestLake();
    // Ranged reads even for these small files, and never promoted to whole files.
    ranged = cachedLakeFiles(lake.store, join(lake.dir, 'ranged-cache'), {
      smallFileBytes: 0,
      wholeFileShare: 2,
      mergeGapBytes: 0,
    });
  });
  afterAll(async () => {
    await lake?.remove();
  });

  test.prop([layout, fc.array(query, { minLength: 1, maxLength: 3 })], { numRuns: 25 })(
    'random files and deletes, random filters and columns',
    async (files, queries) => {
      const name = `t${tables++}`;
      const { db } = lake.session;
      for (const [i, file] of files.entries()) {
        await commitSnapshot(lake.session, async (tx) => {
          if (i === 0) await createTable(tx, 'main', name, [...columns]);
          const table = await requireTable(tx.db, 'main', name);
          const tuples = file.rows.map((r) => `(${columns.map((column) => r[column.name]).join(', ')})`);
          await insertRows(
            tx,
            lake.store,
            lake.pieces,
            table,
            `select * from (values ${tuples.join(', ')}) v(${columns.map((column) => column.name).join(', ')})`,
          );
        });
      }
      for (const file of files) {
        if (file.deleteBelow === null) continue;
        await commitSnapshot(lake.session, async (tx) => {
          const table = await requireTable(tx.db, 'main', name);
          await deleteRows(tx, lake.store, lake.fetch, table, `id < ${file.deleteBelow}`);
        }).catch((error: unknown) => {
          // Nothing matched: no snapshot to commit, the table is as it was.
          if (!(error instanceof Error && /Nothing to commit/.test(error.message))) throw error;
        });
      }
      const snapshot = await db.value<number>(`select max(snapshot_id)::bigint from ${catalogAlias}.ducklake_snapshot`);

      // The oracle: the whole table, read unpruned (whole files), kept as a memory table.
      await db.run('create schema if not exists whole');
      const whole = await createLakeViews(
        lake.session,
        lake.files,
        lake.pieces,
        Number(snapshot),
        (_, table) => table === name,
      );
      expect(whole.files.pruned).toBe(0);
      await db.run(
        `create or replace table whole.${quoteIdentifier(`${name}_rows`)} as select * from main.${quoteIdentifier(name)}`,
      );

      for (const q of queries) {
        const ref = (column: string) => (q.qualified ? `t.${quoteIdentifier(column)}` : quoteIdentifier(column));
        const list = q.select.length > 0 ? q.select.map((column) => ref(column)).join(', ') : 'count(*) as n';
        const where = q.where.map((c) => `(${c.sql(ref(c.column))})`).join(' and ');
        const sql = (table: string) => `select ${list} from ${table}${q.qualified ? ' t' : ''} where ${where}`;
        const expected = await sorted(sql(`whole.${quoteIdentifier(`${name}_rows`)}`));

        // Twice: the second read finds (part of) what it needs in the cache.
        for (let round = 0; round < 2; round++) {
          const text = sql(`main.${quoteIdentifier(name)}`);
          const needs = await analyzeQuery(db, text);
          const views = await createLakeViews(
            lake.session,
            ranged,
            lake.pieces,
            Number(snapshot),
            (schema, table) => needs.mentions(schema, table),
            { needs },
          );
          pruned += views.files.pruned;
          expect(await sorted(text), `${text}\n${JSON.stringify(files)}`).toEqual(expected);
        }
      }
      partial += ranged.downloaded.bytes < ranged.read.bytes ? 1 : 0;
    },
  );

  test('the property was not vacuous: files were pruned and files were fetched in part', () => {
    expect(pruned).toBeGreaterThan(0);
    expect(partial).toBeGreaterThan(0);
  });

  async function sorted(sql: string): Promise<string[]> {
    const rows = await lake.session.db.all(`select * from (${sql}) r`);
    return rows
      .map((r) => JSON.stringify(Object.values(r).map((value) => (value === null ? null : String(value)))))
      .sort();
  }
});
