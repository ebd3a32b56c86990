import type {
  EventWindow,
  GraphNode,
  IncrementalMergeOptions,
  IncrementalWindowOptions,
  SnapshotCheckOptions,
} from './types.ts';

/**
 * The pieces stage 5's runner is built from: what exercises/05-incremental/ (yours) and
 * solutions/05-incremental/ (the reference) both export. `pnpm stage 5 build` calls
 * exactly these, so with `--mine` your code orders the DAG, picks the batches and writes
 * the SQL that changes the warehouse.
 */
export interface IncrementalPieces {
  /** Every node after the nodes it depends on; a cycle → DagCycleError (see dag-order.ts). */
  dagOrder(nodes: readonly GraphNode[]): string[];
  /** The event-time windows an incremental run must (re)process (see incremental-windows.ts). */
  incrementalWindows(options: IncrementalWindowOptions): EventWindow[];
  /** The MERGE that upserts new rows on the unique key (see merge-sql.ts). */
  mergeSql(options: IncrementalMergeOptions): string[];
  /** delete+insert: replace every row whose key is in the new rows (see delete-insert-sql.ts). */
  deleteInsertSql(options: IncrementalMergeOptions): string[];
  /** One SCD2 snapshot step with the check strategy (see snapshot-check-sql.ts). */
  snapshotCheckSql(options: SnapshotCheckOptions): string[];
}
