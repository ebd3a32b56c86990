import type { Database } from '@mart/shared';
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
 */
export async function topCustomers(db: Database, limit: number): Promise<CustomerRevenue[]> {
  // #region solution
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a whole number ≥ 1, not ${limit}.`);
  return db.all<CustomerRevenue>(
    `select c.customer_id,
            c.name,
            sum(f.amount)::double          as revenue,
            count(distinct f.sale_id)::int as sales
       from fact_sales f
       join dim_customer c on c.customer_key = f.customer_key
      group by c.customer_id, c.name
      order by revenue desc, c.customer_id
      limit $1`,
    [limit],
  );
  // #endregion
}
