// Shapes the stage 4 exercise pieces share with the lake code. exercises/ and solutions/
// share them.
import type { Database } from '@mart/shared';

/**
 * A commit in progress (see the stage's commit-snapshot.ts): the catalog transaction is
 * open, and everything a piece writes becomes visible together, as snapshot
 * `snapshotId`, or not at all.
 */
export interface SnapshotWriter {
  db: Database;
  /** The name the catalog is attached under: write `quoteQualified(tx.catalog, 'ducklake_…')`. */
  readonly catalog: string;
  /** The snapshot being written: begin_snapshot of what it adds, end_snapshot of what it ends. */
  readonly snapshotId: number;
  /** The id the next schema, table or partition gets (one counter, as in the spec). */
  nextCatalogId(): number;
  /** The id the next data or delete file gets. */
  nextFileId(): number;
  /** One entry of ducklake_snapshot_changes, e.g. `inserted_into_table:3`. */
  changed(change: string): void;
  /** A table was created or its columns changed: the snapshot gets a new schema_version. */
  schemaChanged(tableId: number | null): void;
  /**
   * Called after a failed commit: undo what happened outside the catalog (uploaded files).
   * `keys` names the objects `undo` deletes, so a failed undo can say what it left behind.
   */
  onRollback(undo: () => Promise<void>, options?: { keys?: readonly string[] }): void;
}

/** A column of a table as it is now. */
export interface CurrentColumn {
  /** Stable across renames; the Parquet field id of the column in every data file. */
  columnId: number;
  name: string;
  /** DuckLake type name: int32, decimal(10,2), varchar… */
  lakeType: string;
  /** The DuckDB type: INTEGER, DECIMAL(10,2), VARCHAR… */
  duckDbType: string;
  initialDefault: string | null;
  order: number;
}

/** A table as it is now (its catalog rows with end_snapshot null). */
export interface CurrentTable {
  schemaId: number;
  schemaName: string;
  tableId: number;
  tableName: string;
  /** `<schema path><table path>`, e.g. `gold/revenue_by_month/`: where its files go under the data path. */
  dataDir: string;
  columns: CurrentColumn[];
}

/** Statistics of one column in one new data file. */
export interface ColumnStats {
  columnId: number;
  /** Compressed bytes of the column in the file. */
  sizeBytes: number;
  /** Values including NULLs (= the file's rows). */
  valueCount: number;
  nullCount: number;
  /** As text, the way DuckDB casts the value to VARCHAR; null when every value is NULL. */
  min: string | null;
  max: string | null;
  /** Only for FLOAT/DOUBLE columns; null otherwise. */
  containsNan: boolean | null;
}

/** A Parquet file already uploaded, to be registered in the catalog. */
export interface NewDataFile {
  /** Relative to the table's folder, e.g. `ducklake-<uuid>.parquet`. */
  path: string;
  recordCount: number;
  fileSizeBytes: number;
  footerSize: number;
  columns: ColumnStats[];
}

/** A delete file: Parquet rows `(file_path, pos)`, each a deleted row position of its data file. */
export interface VisibleDeleteFile {
  id: number;
  /** Full path: the table's path + the file path when relative. */
  path: string;
  format: string;
  deleteCount: number;
  /** Set when the file holds deletes of several snapshots (not written by plain DELETEs). */
  partialMax: number | null;
  encrypted: boolean;
}

/** A data file of a table at one snapshot, with the delete file(s) that apply then. */
export interface VisibleDataFile {
  id: number;
  /** Full path: the table's path + the file path when relative (may contain `year=2024/`). */
  path: string;
  format: string;
  fileOrder: number | null;
  recordCount: number;
  /** The row id of the file's first row; row ids follow file positions. */
  rowIdStart: number | null;
  partitionId: number | null;
  /** Set for files added without field ids: columns are then matched through ducklake_name_mapping. */
  mappingId: number | null;
  /** Set for compacted files whose rows come from several snapshots. */
  partialMax: number | null;
  encrypted: boolean;
  deleteFiles: VisibleDeleteFile[];
}

/** One bronze object to name: its table, the ingest it belongs to, and its partition values, if any. */
export interface BronzeObject {
  table: string;
  ingestId: string;
  /** Hive-style partition columns and values, in folder order, e.g. `{ sale_date: '2024-03-01' }`. */
  partition?: Record<string, string>;
  /** Several files of one ingest in one folder are numbered 0, 1, 2… */
  part?: number;
}

/** An object in the bucket. */
export interface ObjectEntry {
  key: string;
  size: number;
}
