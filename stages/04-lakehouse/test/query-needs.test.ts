import { Database } from '@mart/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { complement, mergeRanges, subtract } from '../src/cached-lake-files.ts';
import { analyzeQuery } from '../src/ducklake/read/query-needs.ts';

// What a query reads of each lake table, from DuckDB's parse tree. The rules err on
// the side of reading more: every doubt means all columns, no filter.

describe('analyzeQuery', () => {
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:');
  });
  afterAll(() => db.close());

  const needs = async (sql: string, schema = 'silver', table = 'fact_sales') => {
    const analysed = await analyzeQuery(db, sql);
    const of = analysed.of(schema, table);
    return {
      understood: analysed.understood,
      mentions: analysed.mentions(schema, table),
      columns: of.columns === 'all' ? 'all' : [...of.columns].sort(),
      filters: of.filters.map((filter) => `${filter.column} ${filter.op} ${filter.values.join(', ')} (${filter.kind})`),
    };
  };

  test('columns and simple filters of one table', async () => {
    expect(
      await needs(
        "select count(*), sum(f.amount) from silver.fact_sales f where f.sale_date = '2024-03-01' and quantity between 1 and 2.5 and f.store_id in ('a', 'b') and date '2024-01-01' < f.sale_date",
      ),
    ).toEqual({
      understood: true,
      mentions: true,
      columns: ['amount', 'f', 'quantity', 'sale_date', 'store_id'],
      filters: [
        "sale_date = '2024-03-01' (string)",
        "quantity between 1, CAST('2.5' AS DECIMAL(2,1)) (numeric)",
        "store_id in 'a', 'b' (string)",
        "sale_date > CAST('2024-01-01' AS DATE) (temporal)",
      ],
    });
  });

  test('count(*) reads no column; a star, a whole row or a NATURAL join reads all', async () => {
    expect((await needs('select count(*) from silver.fact_sales')).columns).toEqual([]);
    for (const sql of [
      'select * from silver.fact_sales',
      'select f.* from silver.fact_sales f',
      "select columns('a.*') from silver.fact_sales",
      'select f from silver.fact_sales f',
      'select fact_sales from silver.fact_sales',
      'select 1 from silver.fact_sales natural join silver.dim_date',
      'select a from silver.fact_sales f(a, b)',
    ]) {
      expect((await needs(sql)).columns, sql).toBe('all');
    }
  });

  test('no filter when the table is read twice, through a join that is not inner, a sample or a CTE of its name', async () => {
    for (const sql of [
      "select * from silver.fact_sales where sale_date = '2024-01-01' union all select * from silver.fact_sales",
      "select 1 from silver.dim_date d left join silver.fact_sales f on f.date_key = d.date_key where f.sale_date = '2024-01-01'",
      'select 1 from silver.dim_date d asof join silver.fact_sales f on f.sale_date >= d.day where f.amount > 3',
      'select * from silver.fact_sales using sample 10 where amount > 3',
      'with fact_sales as (select 1 as amount) select * from silver.fact_sales where amount > 3',
      // Unqualified names in a join could be the other table's.
      'select 1 from silver.fact_sales f join silver.dim_date d on f.date_key = d.date_key where amount > 3',
      'select * from silver.fact_sales where amount <> 3 or amount is null',
      'select * from silver.fact_sales where amount + 1 > 3',
    ]) {
      expect((await needs(sql)).filters, sql).toEqual([]);
    }
    // Qualified, inside an inner join: used.
    expect(
      (
        await needs(
          'select 1 from silver.fact_sales f join silver.dim_date d on f.date_key = d.date_key where f.amount > 3',
        )
      ).filters,
    ).toEqual(['amount > 3 (numeric)']);
    // In a subquery: that SELECT's WHERE applies to the table.
    expect(
      (
        await needs(
          "select * from silver.dim_date where date_key in (select date_key from silver.fact_sales where store_id = 'S1')",
        )
      ).filters,
    ).toEqual(["store_id = 'S1' (string)"]);
  });

  test('SQL it cannot follow reads everything: table functions, SUMMARIZE, several statements, not a SELECT', async () => {
    for (const sql of [
      "select * from query_table('silver.fact_sales')",
      'summarize silver.fact_sales',
      'select 1; select 2',
      'create table x as select 1',
      'select from where',
    ]) {
      const analysed = await needs(sql);
      expect(analysed, sql).toMatchObject({ understood: false, mentions: true, columns: 'all', filters: [] });
    }
  });

  test('a table in another schema, or a name only in a string, is not mentioned', async () => {
    expect((await needs("select 'fact_sales' from gold.revenue_by_month")).mentions).toBe(false);
    expect((await needs('select * from gold.fact_sales')).mentions).toBe(false);
    expect((await needs('select * from fact_sales', 'main', 'fact_sales')).filters).toEqual([]);
  });

  test('constants are rendered from their parsed values, never copied from the text', async () => {
    expect(
      (
        await needs(
          "select 1 from silver.fact_sales where a = 'it''s' and b < -2.50 and c >= 1e3 and d = 12345678901234567890 and e = true and g = timestamptz '2024-01-01 10:00:00+02'",
        )
      ).filters,
    ).toEqual([
      "a = 'it''s' (string)",
      "b < CAST('-2.50' AS DECIMAL(3,2)) (numeric)",
      "c >= CAST('1000' AS DOUBLE) (numeric)",
      // d: beyond what a JSON number carries exactly: not used.
      "e = CAST('t' AS BOOLEAN) (boolean)",
      "g = CAST('2024-01-01 10:00:00+02' AS TIMESTAMP WITH TIME ZONE) (temporal)",
    ]);
  });
});

describe('byte ranges', () => {
  test('merge, subtract, complement', () => {
    expect(
      mergeRanges(
        [
          [10, 20],
          [0, 5],
          [5, 8],
          [30, 40],
          [19, 25],
        ],
        0,
      ),
    ).toEqual([
      [0, 8],
      [10, 25],
      [30, 40],
    ]);
    expect(
      mergeRanges(
        [
          [0, 5],
          [8, 10],
        ],
        3,
      ),
    ).toEqual([[0, 10]]);
    expect(
      subtract(
        [[0, 100]],
        [
          [10, 20],
          [50, 60],
        ],
      ),
    ).toEqual([
      [0, 10],
      [20, 50],
      [60, 100],
    ]);
    expect(subtract([[10, 20]], [[0, 100]])).toEqual([]);
    expect(
      complement(
        [
          [0, 4],
          [90, 100],
        ],
        100,
      ),
    ).toEqual([[4, 90]]);
  });
});
