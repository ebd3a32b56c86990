import { catalogAlias } from '../lake-session.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import { addToTableStats } from './write-data-file.ts';

/**
 * Ends every live data file (and delete file) of a table at this snapshot: from now on
 * the table is empty, while older snapshots still see those files (time travel). This
 * is how a full rebuild replaces a table's contents without rewriting history.
 */
export async function endTableFiles(tx: SnapshotWriter, tableId: number): Promise<number> {
  const { db } = tx;
  const [live] = await db.all<{ files: number; rows: number; bytes: number; deleteFiles: number; deleted: number }>(
    `select count(*)::bigint as files, coalesce(sum(record_count), 0)::bigint as rows,
            coalesce(sum(file_size_bytes), 0)::bigint as bytes, d.files as "deleteFiles", d.deleted
       from ${catalogAlias}.ducklake_data_file,
            (select count(*)::bigint as files, coalesce(sum(delete_count), 0)::bigint as deleted
               from ${catalogAlias}.ducklake_delete_file where table_id = $1 and end_snapshot is null) d
      where table_id = $1 and end_snapshot is null
      group by d.files, d.deleted`,
    [tableId],
  );
  if (Number(live?.files ?? 0) === 0) return 0;
  // A table rebuilt whole (what a build does) has no delete files: one update, not two.
  const tables =
    Number(live?.deleteFiles ?? 0) > 0 ? ['ducklake_data_file', 'ducklake_delete_file'] : ['ducklake_data_file'];
  for (const table of tables) {
    await db.run(`update ${catalogAlias}.${table} set end_snapshot = $1 where table_id = $2 and end_snapshot is null`, [
      tx.snapshotId,
      tableId,
    ]);
  }
  const rows = Number(live?.rows ?? 0) - Number(live?.deleted ?? 0);
  await addToTableStats(tx, tableId, { rows: -rows, nextRowIds: 0, bytes: -Number(live?.bytes ?? 0) });
  tx.changed(`deleted_from_table:${tableId}`);
  return rows;
}
