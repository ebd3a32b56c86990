/**
 * Gold: the marts people read, computed from silver's star schema. Each is a plain SQL
 * query over the dimensions and fact_sales; the build writes each as a lake table in schema `gold`.
 *
 * They answer stage 1's questions with stage 1's names and types (one name per measure
 * across the course: revenue, sales = distinct sale_id, units), so a dashboard reads the
 * same columns from stage 1's warehouse and from the lake. test/gold-marts.test.ts checks
 * them against stage 1's analyses.
 */
export const goldMarts: Record<string, string> = {
  // Stage 1's revenueByMonth.
  revenue_by_month: `
    select strftime(d.full_date, '%Y-%m') as month,
           sum(f.amount)::double          as revenue,
           count(distinct f.sale_id)::int as sales,
           sum(f.quantity)::int           as units
      from fact_sales f join dim_date d on d.date_key = f.date_key
     group by 1 order by 1`,
  // Stage 1's revenue-by-category analysis, plus how many customers bought in each category.
  revenue_by_category: `
    select p.category,
           sum(f.amount)::double                                              as revenue,
           sum(f.quantity)::int                                               as units,
           round(100 * sum(f.amount) / sum(sum(f.amount)) over (), 1)::double as share_pct,
           count(distinct f.customer_key)::int                                as customers
      from fact_sales f join dim_product p on p.product_key = f.product_key
     group by p.category
     order by revenue desc, p.category`,
  // Stage 1's storePerformance, plus the store's channel.
  store_performance: `
    select s.store_id,
           s.name                                as store_name,
           s.region,
           s.channel,
           coalesce(sum(f.amount), 0)::double    as revenue,
           count(distinct f.sale_id)::int        as sales,
           coalesce(sum(f.quantity), 0)::int     as units
      from dim_store s left join fact_sales f on f.store_key = s.store_key
     group by s.store_id, s.name, s.region, s.channel
     order by revenue desc, s.store_id`,
};
