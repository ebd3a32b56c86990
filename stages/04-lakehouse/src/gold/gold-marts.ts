/**
 * Gold: the marts people read, computed from silver's star schema. Each is a plain SQL
 * query over the dimensions and fact_sales; the build writes each as a lake table in schema `gold`.
 */
export const goldMarts: Record<string, string> = {
  revenue_by_month: `
    select strftime(d.full_date, '%Y-%m') as month,
           sum(f.amount)::decimal(14, 2) as revenue,
           count(distinct f.sale_id)::integer as orders,
           sum(f.quantity)::bigint as units
      from fact_sales f join dim_date d using (date_key)
     group by 1 order by 1`,
  revenue_by_category: `
    select p.category,
           sum(f.amount)::decimal(14, 2) as revenue,
           sum(f.quantity)::bigint as units,
           count(distinct f.customer_key)::integer as customers
      from fact_sales f join dim_product p using (product_key)
     group by 1 order by 2 desc`,
  store_performance: `
    select s.store_id, s.name, s.region, s.channel,
           coalesce(sum(f.amount), 0)::decimal(14, 2) as revenue,
           count(distinct f.sale_id)::integer as orders
      from dim_store s left join fact_sales f using (store_key)
     group by all order by revenue desc, store_id`,
};
