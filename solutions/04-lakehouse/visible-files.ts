import { type Database, quoteQualified } from '@mart/shared';
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
 * API: `db` is a Database with the catalog attached as `alias`: `db.all<T>(sql, params?)`
 * returns plain rows (BIGINT as numbers, NULL as null); values bound as `$1, $2 …`
 * (array). quoteQualified('extension lake', 'ducklake_data_file') →
 * "extension lake"."ducklake_data_file". resolveLakePath comes from the stage's given code.
 *
 * Catalog tables (every column not marked otherwise is bigint):
 *   ducklake_data_file    data_file_id, table_id, begin_snapshot, end_snapshot,
 *                         file_order, path varchar, path_is_relative boolean,
 *                         file_format varchar, record_count, file_size_bytes,
 *                         footer_size, row_id_start, partition_id,
 *                         encryption_key varchar, mapping_id, partial_max
 *   ducklake_delete_file  delete_file_id, table_id, begin_snapshot, end_snapshot,
 *                         data_file_id (the data file it deletes from), path varchar,
 *                         path_is_relative boolean, format varchar, delete_count,
 *                         file_size_bytes, footer_size, encryption_key varchar,
 *                         partial_max
 * Both hold every table's files, current and ended.
 *
 * Careful with names: the data file's format column is `file_format`, the delete
 * file's is `format`; both may be NULL. `path` is relative to the table's folder unless
 * path_is_relative is false (NULL counts as relative). VisibleDataFile's camelCase
 * fields (recordCount, rowIdStart…) are these snake_case columns.
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
  // #region solution
  const visible = 'begin_snapshot <= $2 and (end_snapshot is null or end_snapshot > $2)';
  const dataRows = await db.all<{
    id: number;
    path: string;
    relative: boolean | null;
    format: string | null;
    fileOrder: number | null;
    recordCount: number;
    rowIdStart: number | null;
    partitionId: number | null;
    mappingId: number | null;
    partialMax: number | null;
    encrypted: boolean;
  }>(
    `select data_file_id as id, path, path_is_relative as relative, file_format as format,
            file_order as "fileOrder", record_count as "recordCount", row_id_start as "rowIdStart",
            partition_id as "partitionId", mapping_id as "mappingId", partial_max as "partialMax",
            encryption_key is not null as encrypted
     from ${quoteQualified(alias, 'ducklake_data_file')}
     where table_id = $1 and ${visible}
     order by file_order nulls last, data_file_id`,
    [table.id, snapshotId],
  );
  const deleteRows = await db.all<{
    id: number;
    dataFileId: number;
    path: string;
    relative: boolean | null;
    format: string | null;
    deleteCount: number;
    partialMax: number | null;
    encrypted: boolean;
  }>(
    `select delete_file_id as id, data_file_id as "dataFileId", path, path_is_relative as relative,
            format, delete_count as "deleteCount", partial_max as "partialMax",
            encryption_key is not null as encrypted
     from ${quoteQualified(alias, 'ducklake_delete_file')}
     where table_id = $1 and ${visible}
     order by delete_file_id`,
    [table.id, snapshotId],
  );
  return dataRows.map((row) => ({
    id: row.id,
    path: resolveLakePath(table.path, row.path, row.relative),
    format: row.format ?? 'parquet',
    fileOrder: row.fileOrder,
    recordCount: row.recordCount,
    rowIdStart: row.rowIdStart,
    partitionId: row.partitionId,
    mappingId: row.mappingId,
    partialMax: row.partialMax,
    encrypted: row.encrypted,
    deleteFiles: deleteRows
      .filter((deletes) => deletes.dataFileId === row.id)
      .map((deletes) => ({
        id: deletes.id,
        path: resolveLakePath(table.path, deletes.path, deletes.relative),
        format: deletes.format ?? 'parquet',
        deleteCount: deletes.deleteCount,
        partialMax: deletes.partialMax,
        encrypted: deletes.encrypted,
      })),
  }));
  // #endregion
}
