import { catalogAlias } from '../lake-session.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import type { CurrentTable } from './current-table.ts';

/**
 * Drops a table: the table, its columns and its files end at this snapshot. Nothing is
 * deleted from storage: older snapshots can still read it (`lake gc` removes only
 * objects no snapshot references).
 */
export async function dropTable(tx: SnapshotWriter, table: CurrentTable): Promise<void> {
  for (const catalogTable of ['ducklake_table', 'ducklake_column', 'ducklake_data_file', 'ducklake_delete_file']) {
    await tx.db.run(
      `update ${catalogAlias}.${catalogTable} set end_snapshot = $1 where table_id = $2 and end_snapshot is null`,
      [tx.snapshotId, table.tableId],
    );
  }
  tx.changed(`dropped_table:${table.tableId}`);
  tx.schemaChanged(null);
}
