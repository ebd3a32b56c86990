import type { Database } from '@mart/shared';
import type { StorePerformance } from '@mart/stage-01-star-schema/given';

/**
 * Exercise: Store performance with region.
 *
 * fact_sales only knows a store_key; the region lives in dim_store. Join them to report
 * every store: store_id, store_name, region, revenue, sales (distinct sale_id) and
 * units. A store with no sales yet must still appear, with revenue 0, sales 0 and
 * units 0 — which join keeps rows that have no match?
 *
 * Order by revenue, highest first, then store_id.
 */
export async function storePerformance(db: Database): Promise<StorePerformance[]> {
  // #region solution
  return db.all<StorePerformance>(`
    select s.store_id,
           s.name                               as store_name,
           s.region,
           coalesce(sum(f.amount), 0)::double    as revenue,
           count(distinct f.sale_id)::int        as sales,
           coalesce(sum(f.quantity), 0)::int     as units
      from dim_store s
      left join fact_sales f on f.store_key = s.store_key
     group by s.store_id, s.name, s.region
     order by revenue desc, s.store_id`);
  // #endregion
}
