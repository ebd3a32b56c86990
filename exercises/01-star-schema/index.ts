// Stage 1's exercise pieces. The stage pipeline imports this module from
// @mart/solutions (reference) or @mart/exercises (--mine); the two trees mirror each other.
export { buildDateDimension } from './date-dimension.ts';
export { revenueByMonth } from './revenue-by-month.ts';
export { storePerformance } from './store-performance.ts';
export { surrogateKeys } from './surrogate-keys.ts';
export { topCustomers } from './top-customers.ts';
export type { CustomerRevenue, DateRow, MonthlyRevenue, StorePerformance } from './types.ts';
