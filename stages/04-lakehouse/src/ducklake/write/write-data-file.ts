import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, quoteLiteral } from '@mart/shared';
import type { NewDataFile } from '../../given/index.ts';
import type { ObjectStore } from '../../object-store.ts';
import type { LakePieces } from '../../pieces.ts';
import { catalogAlias } from '../lake-session.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import { type CurrentTable, readDataKeyPrefix } from './current-table.ts';
import { parquetColumnStats, parquetFileFacts } from './parquet-file-facts.ts';

/** What one new data file added. */
export interface WrittenFile {
  dataFileId: number;
  key: string;
  rows: number;
  bytes: number;
}

/** A data file written to the local disk, not yet uploaded nor in the catalog. */
export interface LocalDataFile {
  /** Where it is; `remove()` deletes it (and its folder). */
  localPath: string;
  /** Its object key in the store: `<data path><schema>/<table>/ducklake-<uuid>.parquet`. */
  key: string;
  /** Everything registerDataFile needs: name, counts, sizes and per-column statistics. */
  file: NewDataFile;
  remove(): void;
}

/**
 * Writes the rows of `rowsSql` (run in the session's memory database; its columns are
 * the lake table's, in order, with their types: see rowsAsWritten) as ONE Parquet data
 * file, uploads it and registers it:
 *
 * 1. COPY (rowsSql) TO … (FORMAT parquet, FIELD_IDS {name: column_id}): readers match
 *    columns by field id, so a later rename or added column still reads this file.
 * 2. Size, footer size, row count and column statistics from the file's footer (see
 *    parquetColumnStats): no second pass over the rows.
 * 3. Upload it under `<data path><schema>/<table>/ducklake-<uuid>.parquet`.
 * 4. Catalog rows and statistics: the registerDataFile piece (yours with --mine).
 *
 * The upload happens inside the commit: if the commit fails, the file is deleted again.
 * No rows: nothing is uploaded or registered, and the result is undefined.
 */
export async function writeDataFile(
  tx: SnapshotWriter,
  store: ObjectStore,
  pieces: LakePieces,
  table: CurrentTable,
  rowsSql: string,
): Promise<WrittenFile | undefined> {
  const local = await writeLocalDataFile(tx.db, table, rowsSql);
  if (!local) return undefined;
  try {
    await store.put(local.key, local.localPath);
    tx.onRollback(() => store.delete([local.key]), { keys: [local.key] });
    return await registerLocalDataFile(tx, pieces, table, local);
  } finally {
    local.remove();
  }
}

/**
 * Steps 1 and 2 of {@link writeDataFile}: the Parquet file on the local disk with what
 * the catalog will record about it. Undefined (and nothing left on disk) when the query
 * returns no rows. `db` is the session's: the commit's connection, or another one
 * (lakeConnection) writing files while the commit goes on. `keyPrefix` is the data
 * path's (readDataKeyPrefix), for a caller writing several files in one commit; read
 * from the catalog when not given.
 */
export async function writeLocalDataFile(
  db: Database,
  table: CurrentTable,
  rowsSql: string,
  keyPrefix?: string,
): Promise<LocalDataFile | undefined> {
  const fileName = `ducklake-${randomUUID()}.parquet`;
  // A folder of its own, removed with the file: nothing is left in the system temp dir.
  const localDir = mkdtempSync(join(tmpdir(), 'mart-lake-'));
  const remove = () => rmSync(localDir, { recursive: true, force: true });
  const localPath = join(localDir, fileName);
  try {
    const fieldIds = table.columns.map((column) => `${quoteLiteral(column.name)}: ${column.columnId}`).join(', ');
    await db.run(`copy (${rowsSql}) to ${quoteLiteral(localPath)} (format parquet, field_ids {${fieldIds}})`);
    const facts = await parquetFileFacts(db, localPath);
    if (facts.rows === 0) {
      remove();
      return undefined;
    }
    const columns = await parquetColumnStats(db, localPath, table.columns, facts);
    const key = `${keyPrefix ?? (await readDataKeyPrefix(db))}${table.dataDir}${fileName}`;
    return {
      localPath,
      key,
      file: {
        path: fileName,
        recordCount: facts.rows,
        fileSizeBytes: facts.fileSizeBytes,
        footerSize: facts.footerSize,
        columns,
      },
      remove,
    };
  } catch (error) {
    remove();
    throw error;
  }
}

/** Step 4 of {@link writeDataFile}, once the file is in the store: its catalog rows, through the registerDataFile piece. */
export async function registerLocalDataFile(
  tx: SnapshotWriter,
  pieces: LakePieces,
  table: CurrentTable,
  local: LocalDataFile,
): Promise<WrittenFile> {
  const dataFileId = await pieces.registerDataFile(tx, table, local.file);
  return { dataFileId, key: local.key, rows: local.file.recordCount, bytes: local.file.fileSizeBytes };
}

/** Adds to (or subtracts from) a table's running totals in ducklake_table_stats. */
export async function addToTableStats(
  tx: SnapshotWriter,
  tableId: number,
  change: { rows: number; nextRowIds: number; bytes: number },
): Promise<void> {
  const { db } = tx;
  const values = [tableId, change.rows, change.nextRowIds, change.bytes];
  const updated = await db.all(
    `update ${catalogAlias}.ducklake_table_stats
        set record_count = record_count + $2, next_row_id = next_row_id + $3, file_size_bytes = file_size_bytes + $4
      where table_id = $1
      returning table_id`,
    values,
  );
  // Every table gets its row when it is created (createTable); this is for one that did not.
  if (updated.length === 0)
    await db.run(`insert into ${catalogAlias}.ducklake_table_stats values ($1, $2, $3, $4)`, values);
}
