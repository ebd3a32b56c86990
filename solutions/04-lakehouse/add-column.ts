import { quoteQualified } from '@mart/shared';
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
 * @example
 * await addColumn(tx, sales, { name: 'channel', lakeType: 'varchar', default: 'store' }) // → 5
 */
export async function addColumn(
  tx: SnapshotWriter,
  table: CurrentTable,
  column: { name: string; lakeType: string; default?: string | null },
): Promise<number> {
  // #region solution
  if (table.columns.some((existing) => existing.name.toLowerCase() === column.name.toLowerCase())) {
    throw new Error(`${table.schemaName}.${table.tableName} already has a column ${column.name}.`);
  }
  const columns = quoteQualified(tx.catalog, 'ducklake_column');
  const lastId = await tx.db.value<number>(
    `select coalesce(max(column_id), 0)::bigint from ${columns} where table_id = $1`,
    [table.tableId],
  );
  const columnId = Number(lastId) + 1;
  const order = Math.max(0, ...table.columns.map((existing) => existing.order)) + 1;
  const initial = column.default ?? null;
  await tx.db.run(
    `insert into ${columns} values ($1, $2, null, $3, $4, $5, $6, $7, $8, true, null, 'literal', 'duckdb')`,
    [columnId, tx.snapshotId, table.tableId, order, column.name, column.lakeType, initial, initial ?? 'NULL'],
  );
  tx.changed(`altered_table:${table.tableId}`);
  tx.schemaChanged(table.tableId);
  return columnId;
  // #endregion
}
