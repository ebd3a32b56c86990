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
 */
export async function topCustomers(db: Database, limit: number): Promise<CustomerRevenue[]> {
  throw new NotImplementedError('01-star-schema/top-customers');
}
