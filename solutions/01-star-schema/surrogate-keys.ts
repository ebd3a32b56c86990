/**
 * Exercise: Surrogate keys.
 *
 * The business identifies a customer by 'C007'; the warehouse gives every dimension row
 * its own small integer key instead. Facts store that key, so a natural key can change
 * (or two source systems can collide) without rewriting every fact.
 *
 * Return a map from each natural key to its surrogate key such that:
 * - keys are 1, 2, 3 … with no gaps;
 * - they are assigned in sorted order of the natural key, so rebuilding from the same
 *   rows in any order gives the same keys;
 * - a duplicate natural key throws an Error whose message contains the key;
 * - an empty or blank natural key throws an Error.
 *
 * API: plain TypeScript, no database. `array.sort()` sorts strings by their characters
 * and sorts the array itself (copy it first: `[...naturalKeys].sort()`); a
 * `Map<string, number>` keeps the order you set its entries in.
 *
 * Where the keys go (stage 1's build): dim_customer.customer_key from customer_id,
 * dim_product.product_key from product_id, dim_store.store_key from store_id, all
 * integer; fact_sales stores only the *_key columns.
 *
 * Careful with names: customer_id (varchar, 'C007') is the natural key, customer_key
 * (integer, 7) the surrogate one. Every table has both kinds of "id".
 */
export function surrogateKeys(naturalKeys: readonly string[]): Map<string, number> {
  // #region solution
  const keys = new Map<string, number>();
  const sorted = [...naturalKeys].sort();
  for (const naturalKey of sorted) {
    if (naturalKey.trim() === '') throw new Error('A natural key is empty.');
    if (keys.has(naturalKey)) throw new Error(`Duplicate natural key "${naturalKey}".`);
    keys.set(naturalKey, keys.size + 1);
  }
  return keys;
  // #endregion
}
