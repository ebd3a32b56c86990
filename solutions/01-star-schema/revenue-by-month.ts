import type { Database } from '@mart/shared';
import type { MonthlyRevenue } from '@mart/stage-01-star-schema/given';

/**
 * Exercise: Revenue by month.
 *
 * The classic star-schema query: join the fact to a dimension, group by the
 * dimension's attributes, aggregate the fact's measures.
 *
 * Return one row per month that has sales, oldest first: month as 'YYYY-MM', revenue
 * (sum of fact_sales.amount), sales (distinct sale_id) and units (sum of quantity).
 * Use dim_date for the month. Tip: in DuckDB a sum of decimals is a DECIMAL and a count
 * a BIGINT; cast them (::double, ::int) so the types are the ones MonthlyRevenue
 * declares, whatever DuckDB would pick.
 *
 * API (`db` is a Database from @mart/shared):
 * - `db.all<T>(sql, params?)` runs a query and returns its rows as plain objects:
 *   numbers (DECIMAL too, and BIGINT such as count(*) when it fits in a number, else a
 *   string), DATE as 'YYYY-MM-DD' text, booleans and null;
 * - `db.value<T>(sql, params?)` returns the first column of the first row;
 * - `db.run(sql, params?)` runs a statement for its effect.
 * Values are bound, never pasted into the SQL: `$1, $2 …` with an array, or `$name` with
 * an object.
 *
 *   await db.all<{ store_id: string }>('select store_id from dim_store where region = $1 order by 1', ['North'])
 *   // → [{ store_id: 'S02' }, { store_id: 'S04' }, { store_id: 'S07' }]
 *   await db.value<number>('select count(*) from dim_store where region = $region', { region: 'North' }) // → 3
 *
 * Tables (every table and column: `pnpm stage 1 inspect`):
 *   fact_sales    one row per sale LINE (a sale has one or more lines):
 *                 sale_id varchar, line_number integer, date_key integer,
 *                 customer_key integer, product_key integer, store_key integer,
 *                 quantity integer, unit_price decimal(10,2),
 *                 amount decimal(12,2) (= quantity × unit_price)
 *   dim_date      one row per calendar day: date_key integer (yyyymmdd, e.g. 20240315),
 *                 full_date date, year smallint, quarter tinyint, month tinyint (1–12),
 *                 month_name varchar, day_of_month tinyint, day_of_week tinyint,
 *                 day_name varchar, is_weekend boolean
 *
 * Careful with names:
 * - fact_sales has no date: join dim_date on date_key.
 * - `month` is also a dim_date column (a number, 1–12, the same for March 2024 and
 *   March 2025). Your 'YYYY-MM' is a new expression: in `group by` / `order by` a bare
 *   `month` means dim_date's column, so group by the expression or its position.
 * - "sales" counts sales, not rows: a sale with three lines is one sale and three rows.
 */
export async function revenueByMonth(db: Database): Promise<MonthlyRevenue[]> {
  // #region solution
  return db.all<MonthlyRevenue>(`
    select strftime(d.full_date, '%Y-%m') as month,
           sum(f.amount)::double         as revenue,
           count(distinct f.sale_id)::int as sales,
           sum(f.quantity)::int          as units
      from fact_sales f
      join dim_date d on d.date_key = f.date_key
     group by 1  -- by position: a bare "month" here would mean the dim_date column
     order by 1`);
  // #endregion
}
