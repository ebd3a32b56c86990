import { type Database, NotImplementedError, quoteQualified } from '@mart/shared';
import { resolveLakePath, type VisibleDataFile } from '@mart/stage-04-lakehouse/given';

/**
 * Exercise: which data files does a reader see at snapshot S — time travel.
 *
 * Nothing in a DuckLake table is overwritten. Every catalog row carries the snapshot it
 * appeared in (begin_snapshot) and the one it stopped being true in (end_snapshot, NULL
 * while it still is). A row is visible at S when
 *
 *     begin_snapshot <= S and (end_snapshot is null or end_snapshot > S)
 *
 * Reading a table "as of" an old snapshot is just this filter. Return the data files of
 * `table` visible at `snapshotId` (from ducklake_data_file), ordered by file_order
 * (NULLs last) then data_file_id, each with the delete files visible at the same
 * snapshot that point at it (ducklake_delete_file.data_file_id), ordered by
 * delete_file_id. Fill every field of VisibleDataFile / VisibleDeleteFile (see
 * types.ts): `path` is resolveLakePath(table.path, path, path_is_relative); `format`
 * defaults to 'parquet'; `encrypted` is encryption_key IS NOT NULL.
 *
 * quoteQualified(alias, 'ducklake_data_file') names a catalog table; pass the table id and
 * the snapshot as parameters ($1, $2).
 *
 * @example
 * const files = await visibleDataFiles(db, '__lake', { id: 1, path: 'data/main/sales/' }, 6);
 * files.map((file) => file.deleteFiles.length); // → [1, 1]
 */
export async function visibleDataFiles(
  db: Database,
  alias: string,
  table: { id: number; path: string },
  snapshotId: number,
): Promise<VisibleDataFile[]> {
  throw new NotImplementedError('04-lakehouse/visible-files');
}
