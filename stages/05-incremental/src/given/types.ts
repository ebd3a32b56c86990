// Shapes the stage 5 exercise pieces share with the runner.

/** One node of the project's graph: a model, seed, snapshot or test, and what it reads. */
export type GraphNode = {
  /** The node's unique id, e.g. `model.mart.stg_sales`. */
  id: string;
  /** Ids of the nodes it depends on (its refs); ids not in the graph (sources) are ignored. */
  dependsOn: readonly string[];
};

/** How wide one microbatch is. */
export type BatchSize = 'hour' | 'day' | 'month' | 'year';

/** One window of event time, `[start, end)`, as UTC ISO timestamps: `2024-03-01T00:00:00Z`. */
export type EventWindow = {
  start: string;
  end: string;
};

/** What {@link import('./pieces.ts').IncrementalPieces.incrementalWindows} is given. */
export type IncrementalWindowOptions = {
  /** The earliest event time the model covers (its `begin` config), ISO date or timestamp. */
  begin: string;
  /** Where this run stops (exclusive): now, or `--event-time-end`. ISO date or timestamp. */
  end: string;
  /** The end of the last batch a previous run finished, or null on a first run / full refresh. */
  watermark: string | null;
  /** How many batches before the watermark to process again, for data that arrives late. */
  lookback: number;
  batchSize: BatchSize;
};

/** What the merge and delete+insert pieces are given. Relations and predicates are SQL, already quoted. */
export type IncrementalMergeOptions = {
  /** The model's table, e.g. `"stage-05"."main"."stg_sales"`. */
  target: string;
  /** The new rows, a temporary table, e.g. `"stg_sales__dbt_tmp"`. */
  source: string;
  /** The column(s) identifying a row: `unique_key` (plain names, not yet quoted). */
  uniqueKey: readonly string[];
  /** Every column of the target, in order (plain names, not yet quoted). */
  columns: readonly string[];
  /**
   * `incremental_predicates`: extra SQL conditions on the target rows a run may touch,
   * e.g. `DBT_INTERNAL_DEST.sale_date >= '2024-06-01'`; the target is aliased DBT_INTERNAL_DEST.
   */
  predicates: readonly string[];
};

/** What the snapshot check-strategy piece is given. Relations and `now` are SQL, already quoted. */
export type SnapshotCheckOptions = {
  /** The snapshot table (SCD2): the data columns and dbt_scd_id, dbt_updated_at, dbt_valid_from, dbt_valid_to. */
  snapshot: string;
  /** The current rows of the source, e.g. a temporary table. */
  source: string;
  /** The column(s) identifying an entity (plain names). */
  uniqueKey: readonly string[];
  /** The columns whose change makes a new version (plain names; `check_cols: all` is resolved already). */
  checkCols: readonly string[];
  /** The data columns of the snapshot (plain names), the source's columns. */
  columns: readonly string[];
  /** This run's time as a SQL expression, e.g. `TIMESTAMP '2024-03-05 00:00:00'`. */
  now: string;
};
