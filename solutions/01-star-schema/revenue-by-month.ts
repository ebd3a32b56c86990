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
 * Use dim_date for the month. Tip: DuckDB hands back sums of decimals as decimals and
 * counts as BIGINT; cast to double / integer so the rows hold plain numbers.
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
