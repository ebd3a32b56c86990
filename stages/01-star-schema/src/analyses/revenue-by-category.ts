import type { Analysis } from './analysis.ts';

export const revenueByCategory: Analysis = {
  name: 'revenue-by-category',
  title: 'Revenue by category',
  description: 'Revenue, units and share of total per product category (fact_sales ⋈ dim_product).',
  params: [],
  async run(db) {
    return db.all(`
      select p.category,
             sum(f.amount)::double                                              as revenue,
             sum(f.quantity)::int                                               as units,
             round(100 * sum(f.amount) / sum(sum(f.amount)) over (), 1)::double as share_pct
        from fact_sales f
        join dim_product p on p.product_key = f.product_key
       group by p.category
       order by revenue desc, p.category`);
  },
  chart: (rows) => rows.map((row) => ({ label: String(row.category), value: Number(row.revenue) })),
};
