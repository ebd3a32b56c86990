export { referenceWarehouse, type TemporaryWarehouse } from '@mart/stage-01-star-schema/testing';

/** Money of one sale line in cents, so expectations are exact. */
export function lineAmount(line: { quantity: number; unit_price: number }): number {
  return line.quantity * Math.round(line.unit_price * 100);
}
