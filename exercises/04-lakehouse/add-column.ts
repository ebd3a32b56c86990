import { NotImplementedError, quoteQualified } from '@mart/shared';
import type { CurrentTable, SnapshotWriter } from '@mart/stage-04-lakehouse/given';

/**
 * Exercise: add a column so that old files still read — schema evolution.
 *
 * A Parquet file never changes after it is written. So how can a table gain a column?
 * DuckLake (like Iceberg) gives every column a permanent id, which is the *field id*
 * inside each data file. A new column gets a NEW id: old files simply have no field
 * with that id, and readers fill in the column's `initial_default` for their rows.
 * Nothing is rewritten, and older snapshots keep the old shape.
 *
 * Insert one ducklake_column row for `column` on `table`:
 *   column_id      = 1 + the largest column_id the table ever had (ids are never reused,
 *                    not even a dropped column's: read all rows, ended ones too)
 *   begin_snapshot = tx.snapshotId, end_snapshot NULL, table_id = table.tableId
 *   column_order   = 1 + the largest order of the current columns
 *   column_name, column_type = column.lakeType
 *   initial_default = the default as text (NULL when there is none), default_value the
 *                     same text or the string 'NULL', nulls_allowed true,
 *                     parent_column NULL, default_value_type 'literal',
 *                     default_value_dialect 'duckdb'
 * Then `tx.changed('altered_table:<table id>')` and `tx.schemaChanged(table.tableId)`.
 * Refuse a name the table already has — compared case-insensitively, as DuckDB compares
 * names (throw an Error naming it). Return the new id.
 * Use parameters for every value; quoteQualified(tx.catalog, 'ducklake_column') names the table.
 *
 * API: `tx` is the snapshot being committed (SnapshotWriter, given/types.ts):
 * - `tx.db` is the catalog's Database: `tx.db.all<T>(sql, params?)` returns plain rows
 *   (BIGINT columns as numbers), `tx.db.value<T>(sql, params?)` the first value,
 *   `tx.db.run(sql, params?)` runs a statement; values are bound as `$1, $2 …` (array);
 * - `tx.catalog` is the name the catalog is attached under, so
 *   `quoteQualified(tx.catalog, 'ducklake_column')` → "__lake"."ducklake_column";
 * - `tx.snapshotId` is the snapshot's id; `tx.changed('…')` records a change of it.
 * - `tx.schemaChanged(tableId)` gives the snapshot a new schema version.
 * `table.columns` lists the table's CURRENT columns only: { columnId, name, lakeType,
 * duckDbType, initialDefault, order }.
 *
 * Catalog table (columns in table order, for `insert … values`):
 *   ducklake_column  column_id bigint, begin_snapshot bigint, end_snapshot bigint,
 *                    table_id bigint, column_order bigint, column_name varchar,
 *                    column_type varchar (DuckLake's names: int32, varchar,
 *                    decimal(10,2)…), initial_default varchar, default_value varchar,
 *                    nulls_allowed boolean, parent_column bigint,
 *                    default_value_type varchar, default_value_dialect varchar
 * It keeps every version of every column of every table: a dropped column's row gets
 * an end_snapshot, a renamed one a new row with the same column_id.
 *
 * Careful with names: column_id is the permanent id (the Parquet field id), column_order
 * the position; initial_default is what rows of older files read, default_value what an
 * insert that leaves the column out gets. A default of '' is a default (an empty text),
 * not a missing one.
 *
 * @example
 * await addColumn(tx, sales, { name: 'channel', lakeType: 'varchar', default: 'store' }) // → 5
 */
export async function addColumn(
  tx: SnapshotWriter,
  table: CurrentTable,
  column: { name: string; lakeType: string; default?: string | null },
): Promise<number> {
  throw new NotImplementedError('04-lakehouse/add-column');
}
