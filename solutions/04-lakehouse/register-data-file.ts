import { quoteQualified, valuesList } from '@mart/shared';
import type { CurrentTable, NewDataFile, SnapshotWriter } from '@mart/stage-04-lakehouse/given';

/**
 * Exercise: commit one new data file — the catalog rows and statistics.
 *
 * The Parquet file is already in the bucket; until the catalog lists it, no reader can
 * see it (that is what makes a commit atomic). Write, with parameters:
 *
 * 1. ducklake_data_file: data_file_id = tx.nextFileId(), table_id, begin_snapshot =
 *    tx.snapshotId, end_snapshot NULL, file_order NULL, path = file.path,
 *    path_is_relative true, file_format 'parquet', record_count, file_size_bytes,
 *    footer_size, row_id_start = the table's next_row_id from ducklake_table_stats
 *    (0 if it has no row), and NULL for partition_id, encryption_key, mapping_id,
 *    partial_max.
 * 2. ducklake_file_column_stats: one row per column: data_file_id, table_id, column_id,
 *    column_size_bytes, value_count, null_count, min_value, max_value, contains_nan,
 *    extra_stats NULL.
 * 3. ducklake_table_stats: the table's one row becomes record_count + rows,
 *    next_row_id + rows, file_size_bytes + the file's size (replace the row: delete it,
 *    insert the new one).
 * 4. ducklake_table_column_stats, per column, merged with the file's: contains_null =
 *    old or (null_count > 0); contains_nan the same (NULL when both are NULL); min_value
 *    and max_value the smaller / larger of old and new — compared as the column's type
 *    (`least(try_cast(a as T), try_cast(b as T))::varchar` with T = column.duckDbType),
 *    never as text ('10' < '9' as text!). Replace the row too.
 * 5. tx.changed(`inserted_into_table:<table id>`). Return the new data_file_id.
 *
 * `quoteQualified(tx.catalog, 'ducklake_data_file')` names a catalog table;
 * `valuesList(rows)` writes the placeholders of a multi-row insert, so one statement can
 * insert every column's row (`insert into … values ${valuesList(rows)}`, bound to `rows.flat()`).
 *
 * API: `tx` is the snapshot being committed (SnapshotWriter, given/types.ts):
 * - `tx.db` is the catalog's Database: `tx.db.all<T>(sql, params?)` returns plain rows
 *   (BIGINT columns as numbers), `tx.db.value<T>(sql, params?)` the first value,
 *   `tx.db.run(sql, params?)` runs a statement; values are bound as `$1, $2 …` (array);
 * - `tx.catalog` is the name the catalog is attached under, so
 *   `quoteQualified(tx.catalog, 'ducklake_column')` → "__lake"."ducklake_column";
 * - `tx.snapshotId` is the snapshot's id; `tx.changed('…')` records a change of it.
 * - `tx.nextFileId()` hands out the next data_file_id.
 * `table.columns` has each column's columnId and duckDbType (INTEGER, DECIMAL(10,2),
 * VARCHAR…): the T to cast to. The type comes from the catalog, so it may be spliced.
 *
 * Catalog tables (columns in table order, for `insert … values`; every column not
 * marked otherwise is bigint):
 *   ducklake_data_file           data_file_id, table_id, begin_snapshot, end_snapshot,
 *                                file_order, path varchar, path_is_relative boolean,
 *                                file_format varchar, record_count, file_size_bytes,
 *                                footer_size, row_id_start, partition_id,
 *                                encryption_key varchar, mapping_id, partial_max
 *   ducklake_file_column_stats   data_file_id, table_id, column_id, column_size_bytes,
 *                                value_count, null_count, min_value varchar,
 *                                max_value varchar, contains_nan boolean,
 *                                extra_stats varchar
 *   ducklake_table_stats         table_id, record_count, next_row_id, file_size_bytes
 *   ducklake_table_column_stats  table_id, column_id, contains_null boolean,
 *                                contains_nan boolean, min_value varchar,
 *                                max_value varchar, extra_stats varchar
 * Stats rows are per table (filter on table_id: the catalog holds every table's) and,
 * for columns, per table and column_id.
 *
 * Careful with names: record_count (rows the table has) and next_row_id (row ids ever
 * handed out) differ once rows were deleted; file_size_bytes is a whole file's size,
 * column_size_bytes one column's; min_value and max_value are text. The camelCase fields
 * of NewDataFile and ColumnStats (recordCount, nullCount…) are these snake_case columns.
 *
 * @example
 * await registerDataFile(tx, sales, { path: 'ducklake-1.parquet', recordCount: 100, fileSizeBytes: 2060, footerSize: 447, columns: [...] })
 */
export async function registerDataFile(tx: SnapshotWriter, table: CurrentTable, file: NewDataFile): Promise<number> {
  // #region solution
  // Each step is ONE statement for all the columns, not one per column: a catalog
  // statement costs about a millisecond whatever its size, and a build registers a
  // few dozen columns (four per column, plus four, was 280 of a fresh build's 650).
  const { db } = tx;
  const tableStats = quoteQualified(tx.catalog, 'ducklake_table_stats');
  const columnStats = quoteQualified(tx.catalog, 'ducklake_table_column_stats');
  const fileColumnStats = quoteQualified(tx.catalog, 'ducklake_file_column_stats');
  const [stats] = await db.all<{ record_count: number; next_row_id: number; file_size_bytes: number }>(
    `select record_count, next_row_id, file_size_bytes from ${tableStats} where table_id = $1`,
    [table.tableId],
  );
  const dataFileId = tx.nextFileId();
  await db.run(
    `insert into ${quoteQualified(tx.catalog, 'ducklake_data_file')}
     values ($1, $2, $3, null, null, $4, true, 'parquet', $5, $6, $7, $8, null, null, null, null)`,
    [
      dataFileId,
      table.tableId,
      tx.snapshotId,
      file.path,
      file.recordCount,
      file.fileSizeBytes,
      file.footerSize,
      Number(stats?.next_row_id ?? 0),
    ],
  );
  // A Parquet file has at least one column, so neither values list below is empty.
  const fileStats = file.columns.map((column) => [
    dataFileId,
    table.tableId,
    column.columnId,
    column.sizeBytes,
    column.valueCount,
    column.nullCount,
    column.min,
    column.max,
    column.containsNan,
    null,
  ]);
  await db.run(`insert into ${fileColumnStats} values ${valuesList(fileStats)}`, fileStats.flat());
  await db.run(`delete from ${tableStats} where table_id = $1`, [table.tableId]);
  await db.run(`insert into ${tableStats} values ($1, $2, $3, $4)`, [
    table.tableId,
    Number(stats?.record_count ?? 0) + file.recordCount,
    Number(stats?.next_row_id ?? 0) + file.recordCount,
    Number(stats?.file_size_bytes ?? 0) + file.fileSizeBytes,
  ]);

  // The table's statistics so far, by column (none yet for a table's first file).
  const oldRows = await db.all<{
    column_id: number;
    contains_null: boolean | null;
    contains_nan: boolean | null;
    min_value: string | null;
    max_value: string | null;
  }>(`select column_id, contains_null, contains_nan, min_value, max_value from ${columnStats} where table_id = $1`, [
    table.tableId,
  ]);
  const old = new Map(oldRows.map((row) => [Number(row.column_id), row]));
  // Min and max are text in the catalog but must be compared as the column's type
  // ('10' < '9' as text!): one select computes every column's pair. The type comes from
  // the catalog's own type map, never from user input, so it may be spliced.
  const bounds: string[] = [];
  const boundValues: (string | null)[] = [];
  for (const column of file.columns) {
    const type = table.columns.find((c) => c.columnId === column.columnId)?.duckDbType ?? 'VARCHAR';
    const before = old.get(column.columnId);
    const n = boundValues.length;
    bounds.push(
      `least(try_cast($${n + 1} as ${type}), try_cast($${n + 2} as ${type}))::varchar`,
      `greatest(try_cast($${n + 3} as ${type}), try_cast($${n + 4} as ${type}))::varchar`,
    );
    boundValues.push(before?.min_value ?? null, column.min, before?.max_value ?? null, column.max);
  }
  const [merged] = await db.all<{ bounds: (string | null)[] }>(`select [${bounds.join(', ')}] as bounds`, boundValues);
  const mergedBounds = merged?.bounds ?? [];
  const replaced = file.columns.map((column, i) => {
    const before = old.get(column.columnId);
    const containsNan =
      (before?.contains_nan ?? null) === null && column.containsNan === null
        ? null
        : Boolean(before?.contains_nan) || Boolean(column.containsNan);
    return [
      table.tableId,
      column.columnId,
      Boolean(before?.contains_null) || column.nullCount > 0,
      containsNan,
      mergedBounds[2 * i] ?? null,
      mergedBounds[2 * i + 1] ?? null,
      null,
    ];
  });
  // The rows replaced are those of the file's columns, just listed in file_column_stats.
  await db.run(
    `delete from ${columnStats} where table_id = $1
        and column_id in (select column_id from ${fileColumnStats} where data_file_id = $2)`,
    [table.tableId, dataFileId],
  );
  await db.run(`insert into ${columnStats} values ${valuesList(replaced)}`, replaced.flat());
  tx.changed(`inserted_into_table:${table.tableId}`);
  return dataFileId;
  // #endregion
}
