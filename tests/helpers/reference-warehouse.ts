import type { Database } from '@mart/shared';

export { referenceWarehouse, type TemporaryWarehouse } from '@mart/stage-01-star-schema/testing';

/** Money of one sale line in cents, so expectations are exact. */
export function lineAmount(line: { quantity: number; unit_price: number }): number {
  return line.quantity * Math.round(line.unit_price * 100);
}

/**
 * Runs `work` in a transaction that is always rolled back, so a test can add rows (a
 * tie, a store without sales…) without changing the warehouse the other tests read.
 *
 * @example
 * const rows = await rolledBack(db, async () => {
 *   await db.run("insert into dim_store values (99, 'S99', 'Pop-up', null, 'South', null, null)");
 *   return storePerformance(db);
 * });
 */
export async function rolledBack<T>(db: Database, work: () => Promise<T>): Promise<T> {
  await db.run('begin transaction');
  try {
    return await work();
  } finally {
    await db.run('rollback');
  }
}

/**
 * Adds one single-line sale of `cents` for the customer and store with these surrogate
 * keys (date and product borrowed from an existing line), inside the caller's transaction.
 */
export async function addSale(
  db: Database,
  sale: { saleId: string; customerKey?: number; storeKey?: number; cents: number },
): Promise<void> {
  const amount = (sale.cents / 100).toFixed(2);
  await db.run(
    `insert into fact_sales (sale_id, line_number, date_key, customer_key, product_key, store_key, quantity, unit_price, amount)
     select $1, 1, date_key, coalesce($2, customer_key), product_key, coalesce($3, store_key), 1, $4::decimal(10, 2), $4::decimal(12, 2)
       from fact_sales limit 1`,
    [sale.saleId, sale.customerKey ?? null, sale.storeKey ?? null, amount],
  );
}
