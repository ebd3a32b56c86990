import type { Database } from '@mart/shared';
import { NotImplementedError } from '@mart/shared';
import type { CustomerRevenue } from '@mart/stage-01-star-schema/given';

/**
 * Exercise: Top-N customers, parameterised.
 *
 * Return the `limit` customers with the highest revenue: customer_id, name, revenue
 * (sum of amount) and sales (distinct sale_id), highest revenue first; on a tie, the
 * smaller customer_id first. Throw a RangeError unless `limit` is a whole number ≥ 1.
 *
 * Pass `limit` as a query parameter ($1), never by pasting it into the SQL text: that
 * habit is what keeps user input from ever becoming SQL.
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
 *   dim_customer  customer_key integer, customer_id varchar ('C001'), name varchar,
 *                 email varchar, city varchar, country varchar, segment varchar,
 *                 signup_date date
 *
 * Careful with names:
 * - fact_sales holds customer_key (the warehouse's integer); customer_id ('C001') is only
 *   in dim_customer, and it is what you return and break ties on.
 * - `name` is a column of dim_customer, dim_product and dim_store: say c.name.
 * - "sales" counts sales, not rows: count(distinct sale_id).
 */
export async function topCustomers(db: Database, limit: number): Promise<CustomerRevenue[]> {
  throw new NotImplementedError('01-star-schema/top-customers');
}
