import type { Database } from '@mart/shared';
import { NotImplementedError } from '@mart/shared';
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
  throw new NotImplementedError('01-star-schema/store-performance');
}
