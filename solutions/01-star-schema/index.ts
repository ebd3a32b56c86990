// Stage 1's exercise pieces (see StarSchemaPieces in stages/01-star-schema/src/given/).
// The stage loads this file from solutions/ (the reference) or exercises/ (--mine).
export { buildDateDimension } from './date-dimension.ts';
export { revenueByMonth } from './revenue-by-month.ts';
export { storePerformance } from './store-performance.ts';
export { surrogateKeys } from './surrogate-keys.ts';
export { topCustomers } from './top-customers.ts';
