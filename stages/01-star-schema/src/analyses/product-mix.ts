import type { Analysis } from './analysis.ts';

export const productMix: Analysis = {
  name: 'product-mix',
  title: 'Product mix',
  description: 'Every product with units, revenue and its share of its category; unsold products show 0.',
  params: [],
  async run(db) {
    // Start from the dimension so products that never sold still appear (left join).
    return db.all(`
      select p.category,
             p.product_id,
             p.name                                as product,
             coalesce(sum(f.quantity), 0)::int     as units,
             coalesce(sum(f.amount), 0)::double    as revenue,
             coalesce(round(100 * sum(f.amount) / sum(sum(f.amount)) over (partition by p.category), 1), 0)::double
                                                   as share_of_category_pct
        from dim_product p
        left join fact_sales f on f.product_key = p.product_key
       group by p.category, p.product_id, p.name
       order by p.category, revenue desc, p.product_id`);
  },
};
