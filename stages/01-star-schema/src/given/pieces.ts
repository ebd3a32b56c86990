import type { Database } from '@mart/shared';
import type { CustomerRevenue, DateRow, MonthlyRevenue, StorePerformance } from './types.ts';

/**
 * The pieces stage 1's pipeline is built from: what exercises/01-star-schema/ (yours)
 * and solutions/01-star-schema/ (the reference) both export. `build` and `explore` call
 * exactly these, so with `--mine` your code runs in the real pipeline.
 */
export interface StarSchemaPieces {
  /** Surrogate keys 1…n for the sorted natural keys (see surrogate-keys.ts). */
  surrogateKeys(naturalKeys: readonly string[]): Map<string, number>;
  /** One dim_date row per day from `first` to `last` (see date-dimension.ts). */
  buildDateDimension(first: string, last: string): DateRow[];
  /** Revenue, sales and units per month (see revenue-by-month.ts). */
  revenueByMonth(db: Database): Promise<MonthlyRevenue[]>;
  /** The `limit` best customers by revenue (see top-customers.ts). */
  topCustomers(db: Database, limit: number): Promise<CustomerRevenue[]>;
  /** Every store with its region and results (see store-performance.ts). */
  storePerformance(db: Database): Promise<StorePerformance[]>;
}
