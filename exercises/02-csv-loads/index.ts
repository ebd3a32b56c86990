// Stage 2's exercise pieces (see CsvLoadPieces in stages/02-csv-loads/src/given/).
// The stage loads this file from solutions/ (the reference) or exercises/ (--mine).
export { castColumn } from './cast-column.ts';
export { checkHeader } from './check-header.ts';
export { findDuplicates } from './find-duplicates.ts';
export { findOrphans } from './find-orphans.ts';
export { reconcileFiles } from './reconcile-files.ts';
