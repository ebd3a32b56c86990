import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteLiteral } from '@mart/shared';
import type { ObjectStore } from '../../object-store.ts';
import { catalogAlias } from '../lake-session.ts';
import { parquetSchemaMap } from '../parquet-schema-map.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import { type CurrentTable, readDataKeyPrefix, readDataPath } from './current-table.ts';
import { parquetFileFacts } from './parquet-file-facts.ts';
import { addToTableStats } from './write-data-file.ts';

/** Fetches a data file to a local path (from a cache or the store). */
export type FetchFile = (key: string) => Promise<string>;

/**
 * Deletes the rows matching `predicate` (SQL over the table's current column names)
 * without rewriting data files: for each file with matches, a small Parquet *delete
 * file* lists the deleted row positions (file_path, pos), replacing the file's previous
 * delete file. A data file whose rows are all deleted simply ends. Returns the number
 * of rows deleted.
 */
export async function deleteRows(
  tx: SnapshotWriter,
  store: ObjectStore,
  fetch: FetchFile,
  table: CurrentTable,
  predicate: string,
): Promise<number> {
  const { db } = tx;
  const dataPath = await readDataPath(db);
  const prefix = await readDataKeyPrefix(db);
  const files = await db.all<{ data_file_id: number; path: string; record_count: number; file_size_bytes: number }>(
    `select data_file_id, path, record_count, file_size_bytes from ${catalogAlias}.ducklake_data_file
      where table_id = $1 and end_snapshot is null order by data_file_id`,
    [table.tableId],
  );
  const schema = parquetSchemaMap(table.columns);
  let deleted = 0;
  // Bytes of the data files that end here: table_stats.file_size_bytes counts live files only.
  let endedBytes = 0;
  for (const file of files) {
    const key = `${prefix}${table.dataDir}${file.path}`;
    const local = await fetch(key);
    const [previous] = await db.all<{ delete_file_id: number; path: string }>(
      `select delete_file_id, path from ${catalogAlias}.ducklake_delete_file
        where data_file_id = $1 and end_snapshot is null`,
      [file.data_file_id],
    );
    const already = previous
      ? `select pos from read_parquet(${quoteLiteral(await fetch(`${prefix}${table.dataDir}${previous.path}`))})`
      : 'select null::bigint as pos where false';
    const positions = await db.all<{ pos: number }>(
      `select file_row_number::bigint as pos
         from read_parquet(${quoteLiteral(local)}, schema = ${schema}, file_row_number = true)
        where (${predicate}) and file_row_number not in (${already})
       union all ${already}
        order by pos`,
    );
    const newlyDeleted = positions.length - (previous ? await countPositions(tx, already) : 0);
    if (newlyDeleted === 0) continue;
    deleted += newlyDeleted;
    if (previous) {
      await db.run(`update ${catalogAlias}.ducklake_delete_file set end_snapshot = $1 where delete_file_id = $2`, [
        tx.snapshotId,
        previous.delete_file_id,
      ]);
    }
    if (positions.length === Number(file.record_count)) {
      // Every row is gone: end the file itself rather than list all its rows.
      await db.run(`update ${catalogAlias}.ducklake_data_file set end_snapshot = $1 where data_file_id = $2`, [
        tx.snapshotId,
        file.data_file_id,
      ]);
      endedBytes += Number(file.file_size_bytes);
      continue;
    }
    await writeDeleteFile(tx, store, table, {
      dataFileId: file.data_file_id,
      dataFilePath: `${dataPath}${table.dataDir}${file.path}`,
      keyDir: `${prefix}${table.dataDir}`,
      positions: positions.map((row) => Number(row.pos)),
    });
  }
  if (deleted > 0) {
    await addToTableStats(tx, table.tableId, { rows: -deleted, nextRowIds: 0, bytes: -endedBytes });
    tx.changed(`deleted_from_table:${table.tableId}`);
  }
  return deleted;
}

async function countPositions(tx: SnapshotWriter, sql: string): Promise<number> {
  return tx.db.value<number>(`select count(*)::bigint from (${sql})`);
}

/** A delete file: Parquet with (file_path, pos), the field ids DuckLake reserves for them. */
async function writeDeleteFile(
  tx: SnapshotWriter,
  store: ObjectStore,
  table: CurrentTable,
  target: { dataFileId: number; dataFilePath: string; keyDir: string; positions: number[] },
): Promise<void> {
  const fileName = `ducklake-${randomUUID()}-delete.parquet`;
  // A folder of its own, removed with the file: nothing is left in the system temp dir.
  const localDir = mkdtempSync(join(tmpdir(), 'mart-lake-'));
  const localPath = join(localDir, fileName);
  try {
    await tx.db.run(
      `copy (select $1::varchar as file_path, unnest($2::bigint[]) as pos)
         to ${quoteLiteral(localPath)} (format parquet, field_ids {file_path: 2147483646, pos: 2147483645})`,
      [target.dataFilePath, JSON.stringify(target.positions)],
    );
    const facts = await parquetFileFacts(tx.db, localPath);
    const key = `${target.keyDir}${fileName}`;
    await store.put(key, localPath);
    tx.onRollback(() => store.delete([key]), { keys: [key] });
    await tx.db.run(
      `insert into ${catalogAlias}.ducklake_delete_file
       values ($1, $2, $3, null, $4, $5, true, 'parquet', $6, $7, $8, null, null)`,
      [
        tx.nextFileId(),
        table.tableId,
        tx.snapshotId,
        target.dataFileId,
        fileName,
        target.positions.length,
        facts.fileSizeBytes,
        facts.footerSize,
      ],
    );
  } finally {
    rmSync(localDir, { recursive: true, force: true });
  }
}
