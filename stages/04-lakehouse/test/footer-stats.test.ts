import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { parquetColumnStats, parquetFileFacts } from '../src/ducklake/write/parquet-file-facts.ts';
import type { ColumnStats, CurrentColumn } from '../src/given/index.ts';
import {
  catalogAlias,
  commitSnapshot,
  createTable,
  insertRows,
  localTestLake,
  requireTable,
  type TestLake,
} from '../src/testing/index.ts';

// The writer takes each new file's column statistics from the Parquet footer it just
// wrote instead of scanning the rows again. They must be the statistics the scan gave:
// the oracle below is the writer's former scan, verbatim.

/** The former scan-based statistics: one pass over the rows. */
async function scannedStats(
  db: Database,
  source: string,
  columns: readonly CurrentColumn[],
  sizes: Map<string, number>,
): Promise<ColumnStats[]> {
  const measures = columns.flatMap((column, i) => {
    const name = quoteIdentifier(column.name);
    return [
      `count(${name})::bigint as v${i}`,
      `(count(*) - count(${name}))::bigint as n${i}`,
      `min(${name})::varchar as lo${i}`,
      `max(${name})::varchar as hi${i}`,
      column.duckDbType === 'DOUBLE' || column.duckDbType === 'FLOAT'
        ? `bool_or(isnan(${name})) as nan${i}`
        : `null::boolean as nan${i}`,
    ];
  });
  const [stats] = await db.all(`select ${measures.join(', ')} from ${source}`);
  return columns.map((column, i) => {
    const nulls = Number(stats?.[`n${i}`] ?? 0);
    return {
      columnId: column.columnId,
      sizeBytes: sizes.get(column.name) ?? 0,
      valueCount: Number(stats?.[`v${i}`] ?? 0) + nulls,
      nullCount: nulls,
      min: (stats?.[`lo${i}`] as string | null) ?? null,
      max: (stats?.[`hi${i}`] as string | null) ?? null,
      containsNan: (stats?.[`nan${i}`] as boolean | null) ?? null,
    };
  });
}

/** -0.0 and 0.0 are equal values; which one a min or max shows depends on which came first. */
function sameZero(stats: ColumnStats[]): ColumnStats[] {
  const zero = (text: string | null) => (text === '-0.0' ? '0.0' : text);
  return stats.map((stat) => ({ ...stat, min: zero(stat.min), max: zero(stat.max) }));
}

const types = {
  i: 'INTEGER',
  big: 'BIGINT',
  dbl: 'DOUBLE',
  flt: 'FLOAT',
  dec: 'DECIMAL(10,2)',
  wide: 'DECIMAL(18,4)',
  txt: 'VARCHAR',
  day: 'DATE',
  ts: 'TIMESTAMP',
  tstz: 'TIMESTAMP WITH TIME ZONE',
  yes: 'BOOLEAN',
  id: 'UUID',
  span: 'INTERVAL',
} as const;
type Name = keyof typeof types;
const columns: CurrentColumn[] = Object.entries(types).map(([name, duckDbType], i) => ({
  columnId: i + 1,
  name,
  lakeType: name,
  duckDbType,
  initialDefault: null,
  order: i + 1,
}));

const nullable = (value: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant('null') });
const double = fc
  .double()
  .map((n) => (Number.isNaN(n) ? "'nan'" : Number.isFinite(n) ? `'${n}'` : n > 0 ? "'inf'" : "'-inf'"));
const decimal = (digits: number, scale: number) =>
  fc.bigInt({ min: -(10n ** BigInt(digits)) + 1n, max: 10n ** BigInt(digits) - 1n }).map((unscaled) => {
    const text = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
    return `'${unscaled < 0n ? '-' : ''}${text.slice(0, -scale)}.${text.slice(-scale)}'`;
  });
const values: Record<Name, fc.Arbitrary<string>> = {
  i: nullable(fc.integer().map(String)),
  big: nullable(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }).map(String)),
  dbl: nullable(double),
  flt: nullable(
    fc.float().map((n) => (Number.isNaN(n) ? "'nan'" : Number.isFinite(n) ? `'${n}'` : n > 0 ? "'inf'" : "'-inf'")),
  ),
  dec: nullable(decimal(8, 2)),
  wide: nullable(decimal(14, 4)),
  // Short strings of any characters, and now and then one longer than the footer keeps.
  txt: nullable(
    fc
      .oneof(
        { weight: 5, arbitrary: fc.string({ maxLength: 6 }) },
        { weight: 1, arbitrary: fc.string({ minLength: 250, maxLength: 320 }) },
      )
      .map((text) => quoteLiteral(text.replaceAll('\0', ''))),
  ),
  day: nullable(fc.integer({ min: -30_000, max: 30_000 }).map((days) => `date '1970-01-01' + ${days}`)),
  ts: nullable(fc.integer({ min: -2e9, max: 2e9 }).map((seconds) => `make_timestamp(${seconds}::bigint * 1000000)`)),
  tstz: nullable(fc.integer({ min: -2e9, max: 2e9 }).map((seconds) => `to_timestamp(${seconds})`)),
  yes: nullable(fc.boolean().map(String)),
  id: nullable(fc.uuid().map((uuid) => `'${uuid}'`)),
  // Parquet keeps no negative intervals, and the time part in 32-bit milliseconds (< 49.7 days).
  span: nullable(fc.integer({ min: 0, max: 70_000 }).map((minutes) => `to_minutes(${minutes})`)),
};
const row = fc.record(values);

describe('column statistics from the footer', () => {
  let db: Database;
  const temp = tempDir('footer-stats');
  let files = 0;
  let multiGroup = 0;
  let fallback = 0;
  beforeAll(async () => {
    db = await Database.open(':memory:');
    // As in a lake session: timestamps with time zone are written and read in UTC.
    await db.run("set TimeZone = 'UTC'");
  });
  afterAll(() => {
    db.close();
    temp.remove();
  });

  test.prop([fc.array(row, { minLength: 1, maxLength: 30 }), fc.boolean()], { numRuns: 60 })(
    'equal the scan over the rows: NULLs, NaN, ±inf, decimals, dates, timestamps, long strings, row groups',
    async (rows, spread) => {
      const name = `rows_${files}`;
      const tuples = rows.map(
        (r, k) =>
          `(${k}, ${columns.map((column) => `cast(${r[column.name as Name]} as ${column.duckDbType})`).join(', ')})`,
      );
      const names = columns.map((column) => column.name).join(', ');
      // Spread: each row repeated 2,048 times (DuckDB's smallest row group), so that each
      // row group holds one row's values and min/max must be found across row groups.
      await db.run(
        `create or replace table ${name} as select ${names} from (values ${tuples.join(', ')}) v(k, ${names})
           ${spread ? ', range(2048) r order by k, r' : ''}`,
      );
      const path = join(temp.path, `file-${files++}.parquet`);
      await db.run(`copy ${name} to ${quoteLiteral(path)} (format parquet, row_group_size 2048)`);
      const facts = await parquetFileFacts(db, path);
      const groups = await db.value<number>(
        `select count(distinct row_group_id)::bigint from parquet_metadata(${quoteLiteral(path)})`,
      );
      if (Number(groups) > 1) multiGroup++;
      if (rows.some((r) => r.txt.length > 250 || r.span !== 'null')) fallback++;

      const fromFooter = await parquetColumnStats(db, path, columns, facts);
      const fromScan = await scannedStats(db, name, columns, facts.columnSizes);
      expect(sameZero(fromFooter)).toEqual(sameZero(fromScan));
      expect(facts.rows).toBe(rows.length * (spread ? 2048 : 1));
    },
  );

  test('the property covered files of several row groups and columns the footer cannot describe', () => {
    expect(multiGroup).toBeGreaterThan(10);
    expect(fallback).toBeGreaterThan(10);
  });
});

describe('the writer records them: ducklake_file_column_stats after insertRows', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await localTestLake();
  });
  afterAll(async () => lake?.remove());

  test('a file of varied values: the catalog holds what the scan over the same rows gives', async () => {
    const source = `select i::integer as id, case when i % 7 = 0 then null else 'name ' || (i % 13) end as name,
                           (i * 1.25)::decimal(10,2) as amount,
                           case when i = 50 then 'nan'::double when i % 11 = 0 then null else i / 3 end as score,
                           date '2024-01-01' + (i % 365)::integer as day,
                           case when i % 5 = 0 then repeat('long ', 80) || i end as note
                      from range(1, 3000) t(i)`;
    const schema = [
      { name: 'id', type: 'INTEGER' },
      { name: 'name', type: 'VARCHAR' },
      { name: 'amount', type: 'DECIMAL(10,2)' },
      { name: 'score', type: 'DOUBLE' },
      { name: 'day', type: 'DATE' },
      { name: 'note', type: 'VARCHAR' },
    ];
    await commitSnapshot(lake.session, (tx) => createTable(tx, 'main', 'varied', schema));
    let key = '';
    await commitSnapshot(lake.session, async (tx) => {
      const table = await requireTable(tx.db, 'main', 'varied');
      key = (await insertRows(tx, lake.store, lake.pieces, table, source))?.key ?? '';
    });
    const table = await requireTable(lake.session.db, 'main', 'varied');
    const recorded = await lake.session.db.all<Record<string, unknown>>(
      `select column_id, column_size_bytes, value_count, null_count, min_value, max_value, contains_nan
         from ${catalogAlias}.ducklake_file_column_stats order by column_id`,
    );
    const facts = await parquetFileFacts(lake.session.db, join(lake.dir, ...key.split('/')));
    const expected = await scannedStats(lake.session.db, `(${source})`, table.columns, facts.columnSizes);
    expect(recorded).toEqual(
      expected.map((stat) => ({
        column_id: stat.columnId,
        column_size_bytes: stat.sizeBytes,
        value_count: stat.valueCount,
        null_count: stat.nullCount,
        min_value: stat.min,
        max_value: stat.max,
        contains_nan: stat.containsNan,
      })),
    );
    expect(recorded.find((row) => row.column_id === 4)).toMatchObject({ max_value: 'nan', contains_nan: true });
  });
});
