import { catalogAlias } from '../lake-session.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import type { CurrentTable } from './current-table.ts';

/** Renames a column: same id (files match by field id), a new catalog row with the new name. */
export async function renameColumn(tx: SnapshotWriter, table: CurrentTable, from: string, to: string): Promise<void> {
  const column = columnNamed(table, from);
  // DuckDB compares names case-insensitively: `Customer` and `customer` would collide.
  if (table.columns.some((existing) => existing.name !== from && existing.name.toLowerCase() === to.toLowerCase())) {
    throw new Error(`${table.schemaName}.${table.tableName} already has a column ${to}.`);
  }
  // Copy the live row under the new name first, then end the old one (and only it).
  const [live] = await tx.db.all<{ begin_snapshot: number; column_name: string }>(
    `select begin_snapshot, column_name from ${catalogAlias}.ducklake_column
      where table_id = $1 and column_id = $2 and end_snapshot is null`,
    [table.tableId, column.columnId],
  );
  await tx.db.run(
    `insert into ${catalogAlias}.ducklake_column
     select column_id, $1, null, table_id, column_order, $2, column_type, initial_default, default_value,
            nulls_allowed, parent_column, default_value_type, default_value_dialect
       from ${catalogAlias}.ducklake_column
      where table_id = $3 and column_id = $4 and end_snapshot is null`,
    [tx.snapshotId, to, table.tableId, column.columnId],
  );
  if (live) await endColumnRow(tx, table.tableId, column.columnId, live.begin_snapshot, live.column_name);
  altered(tx, table);
}

/** Drops a column: its catalog row ends; old files keep the data, readers skip it. */
export async function dropColumn(tx: SnapshotWriter, table: CurrentTable, name: string): Promise<void> {
  if (table.columns.length === 1) throw new Error(`Cannot drop ${name}: a table needs at least one column.`);
  await endColumn(tx, table, columnNamed(table, name).columnId);
  altered(tx, table);
}

function columnNamed(table: CurrentTable, name: string) {
  const column = table.columns.find((existing) => existing.name === name);
  if (!column) {
    throw new Error(
      `${table.schemaName}.${table.tableName} has no column ${name} (columns: ${table.columns.map((c) => c.name).join(', ')}).`,
    );
  }
  return column;
}

async function endColumn(tx: SnapshotWriter, table: CurrentTable, columnId: number): Promise<void> {
  const [live] = await tx.db.all<{ begin_snapshot: number; column_name: string }>(
    `select begin_snapshot, column_name from ${catalogAlias}.ducklake_column
      where table_id = $1 and column_id = $2 and end_snapshot is null`,
    [table.tableId, columnId],
  );
  if (live) await endColumnRow(tx, table.tableId, columnId, live.begin_snapshot, live.column_name);
}

/**
 * Ends one catalog row of a column. A row this same commit created (renamed twice in
 * one snapshot) never existed for any reader: it is deleted instead of ended.
 */
async function endColumnRow(
  tx: SnapshotWriter,
  tableId: number,
  columnId: number,
  beginSnapshot: number,
  name: string,
): Promise<void> {
  const row = [tableId, columnId, beginSnapshot, name];
  const where =
    'table_id = $1 and column_id = $2 and begin_snapshot = $3 and column_name = $4 and end_snapshot is null';
  if (Number(beginSnapshot) === tx.snapshotId) {
    await tx.db.run(`delete from ${catalogAlias}.ducklake_column where ${where}`, row);
  } else {
    await tx.db.run(`update ${catalogAlias}.ducklake_column set end_snapshot = $5 where ${where}`, [
      ...row,
      tx.snapshotId,
    ]);
  }
}

function altered(tx: SnapshotWriter, table: CurrentTable): void {
  tx.changed(`altered_table:${table.tableId}`);
  tx.schemaChanged(table.tableId);
}
