// Stage 5's exercise pieces (see IncrementalPieces in stages/05-incremental/src/given/).
// The stage loads this file from solutions/ (the reference) or exercises/ (--mine).
export { dagOrder } from './dag-order.ts';
export { deleteInsertSql } from './delete-insert-sql.ts';
export { incrementalWindows } from './incremental-windows.ts';
export { mergeSql } from './merge-sql.ts';
export { snapshotCheckSql } from './snapshot-check-sql.ts';
