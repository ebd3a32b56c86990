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
 *   dim_store     store_key integer, store_id varchar ('S01'), name varchar,
 *                 city varchar, region varchar, channel varchar, opened_date date
 *
 * Careful with names:
 * - join on store_key (the surrogate key both tables have); store_id is the business's id.
 * - `name` is a column of dim_store, dim_customer and dim_product: say s.name, and return
 *   it as store_name. `city` is in dim_store and dim_customer too.
 * - "sales" counts sales, not rows (count(distinct sale_id)). For a store without a
 *   single line, sum() gives NULL, not 0.
 */
export async function storePerformance(db: Database): Promise<StorePerformance[]> {
  throw new NotImplementedError('01-star-schema/store-performance');
}
