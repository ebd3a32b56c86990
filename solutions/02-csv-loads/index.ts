// Stage 2's exercise pieces. The loader imports this module from @mart/solutions
// (reference) or @mart/exercises (--mine); the two trees mirror each other.
export { castColumn } from './cast-column.ts';
export { checkHeader } from './check-header.ts';
export { findDuplicates } from './find-duplicates.ts';
export { findOrphans } from './find-orphans.ts';
export { reconcileFiles } from './reconcile-files.ts';
export type { CastSql, ColumnSpec, ColumnType, FileReconciliation, Reference, RowReject } from './types.ts';
