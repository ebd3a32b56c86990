// Column lineage from DuckDB's own parse tree (json_serialize_sql).
import { Database } from '@mart/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ColumnLineageResult, columnLineage, type TableName } from '../src/lineage/index.ts';

const tables: Record<string, string[]> = {
  fact_sales: ['sale_id', 'customer_id', 'product_id', 'quantity', 'amount', 'sold_at'],
  dim_customer: ['customer_id', 'name', 'region'],
  dim_product: ['product_id', 'category', 'price'],
};
const namespace = 'duckdb:///work/data/warehouse/stage-05.duckdb';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

async function lineage(sql: string, outputColumns?: string[]): Promise<ColumnLineageResult> {
  return columnLineage(db, {
    sql,
    columnsOf: (t: TableName) => tables[t.table],
    datasetOf: (t: TableName) =>
      tables[t.table] ? { namespace, name: `${t.schema ?? 'main'}.${t.table}` } : undefined,
    ...(outputColumns ? { outputColumns } : {}),
  });
}

/** output column → ['table.column HOW', …], for reading the expectations at a glance. */
function simple(result: ColumnLineageResult): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(result.fields).map(([column, inputs]) => [
      column,
      inputs.map((input) => `${input.name.split('.').at(-1)}.${input.field} ${input.transformation}`),
    ]),
  );
}

describe('columnLineage', () => {
  test('plain columns, aliases and expressions', async () => {
    const result = await lineage(
      'select sale_id, quantity * amount as revenue, cast(sold_at as date) as sale_date from main.fact_sales',
    );
    expect(simple(result)).toEqual({
      sale_id: ['fact_sales.sale_id IDENTITY'],
      revenue: ['fact_sales.quantity TRANSFORMATION', 'fact_sales.amount TRANSFORMATION'],
      sale_date: ['fact_sales.sold_at TRANSFORMATION'],
    });
    expect(result.fields.sale_id?.[0]).toEqual({
      namespace,
      name: 'main.fact_sales',
      field: 'sale_id',
      transformation: 'IDENTITY',
    });
    expect(result.unsupported).toEqual([]);
  });

  test('joins with aliases, aggregates and GROUP BY', async () => {
    const result = await lineage(`
      select c.region, p.category, sum(s.amount) as revenue, count(*) as sales, count(distinct s.customer_id) as buyers
      from lake.silver.fact_sales as s
      join dim_customer c on c.customer_id = s.customer_id
      left join dim_product p using (product_id)
      group by all`);
    expect(simple(result)).toEqual({
      region: ['dim_customer.region IDENTITY'],
      category: ['dim_product.category IDENTITY'],
      revenue: ['fact_sales.amount AGGREGATION'],
      buyers: ['fact_sales.customer_id AGGREGATION'],
    });
    expect(result.fields.revenue?.[0]?.name).toBe('silver.fact_sales');
  });

  test('through CTEs and subqueries, keeping the strongest transformation', async () => {
    const result = await lineage(`
      with per_customer as (
        select customer_id, sum(amount) as total from fact_sales group by customer_id
      ), ranked as (
        select *, total / 100 as hundreds from per_customer
      )
      select r.customer_id, r.total, r.hundreds, d.name
      from ranked r join (select customer_id, upper(name) as name from dim_customer) d on d.customer_id = r.customer_id`);
    expect(simple(result)).toEqual({
      customer_id: ['fact_sales.customer_id IDENTITY'],
      total: ['fact_sales.amount AGGREGATION'],
      hundreds: ['fact_sales.amount AGGREGATION'],
      name: ['dim_customer.name TRANSFORMATION'],
    });
  });

  test('star, star EXCLUDE, UNION ALL, a correlated subquery and a window', async () => {
    expect(Object.keys((await lineage('select * exclude (sold_at, quantity) from fact_sales')).fields)).toEqual([
      'sale_id',
      'customer_id',
      'product_id',
      'amount',
    ]);
    const union = await lineage(
      'select customer_id, name from dim_customer union all select customer_id, region from dim_customer',
    );
    expect(simple(union).name).toEqual(['dim_customer.name IDENTITY', 'dim_customer.region IDENTITY']);
    const correlated = await lineage(`
      select c.customer_id,
             (select max(s.amount) from fact_sales s where s.customer_id = c.customer_id) as biggest,
             sum(c.customer_id) over (partition by c.region order by c.name) as running
      from dim_customer c`);
    expect(simple(correlated)).toEqual({
      customer_id: ['dim_customer.customer_id IDENTITY'],
      biggest: ['fact_sales.amount AGGREGATION'],
      running: ['dim_customer.customer_id AGGREGATION'],
    });
  });

  test('an alias used later in the same SELECT list, and names from outputColumns', async () => {
    const result = await lineage('select amount * 2 as double_amount, double_amount + 1, 42 from fact_sales', [
      'double_amount',
      'plus_one',
      'answer',
    ]);
    expect(simple(result)).toEqual({
      double_amount: ['fact_sales.amount TRANSFORMATION'],
      plus_one: ['fact_sales.amount TRANSFORMATION'],
    });
  });

  test('says what it does not follow', async () => {
    expect((await lineage("select a from read_parquet('x.parquet')")).unsupported).toEqual([
      'Reads through read_parquet(…) are not followed.',
    ]);
    expect(
      (await lineage('with recursive r as (select 1 as n union all select n + 1 from r where n < 3) select n from r'))
        .unsupported,
    ).toContain('Recursive CTEs are not followed.');
    expect((await lineage('select from where')).unsupported[0]).toMatch(
      /^DuckDB could not parse the SQL: syntax error/,
    );
    expect((await lineage('select amount + 1 from fact_sales')).unsupported).toEqual([
      'Output column 1 has no alias: pass outputColumns to name it.',
    ]);
    // A table that is not a tracked dataset (a temporary table) is left out.
    expect((await lineage('select x from tmp_rows')).fields).toEqual({});
  });
});
