import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quoteIdentifier, quoteLiteral } from '@mart/shared';
import type { ColumnStats } from '../../given/index.ts';
import type { ObjectStore } from '../../object-store.ts';
import type { LakePieces } from '../../pieces.ts';
import { catalogAlias } from '../lake-session.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import { type CurrentTable, readDataKeyPrefix } from './current-table.ts';
import { parquetFileFacts } from './parquet-file-facts.ts';

/** What one new data file added. */
export interface WrittenFile {
  dataFileId: number;
  key: string;
  rows: number;
  bytes: number;
}

/**
 * Writes the rows of `staged` (a table in the session's memory database whose columns
 * are the lake table's, in order) as ONE Parquet data file and registers it:
 *
 * 1. COPY … (FORMAT parquet, FIELD_IDS {name: column_id}): readers match columns by
 *    field id, so a later rename or added column still reads this file correctly.
 * 2. Upload it under `<data path><schema>/<table>/ducklake-<uuid>.parquet`.
 * 3. Catalog rows and statistics: the registerDataFile piece (yours with --mine).
 *
 * The upload happens inside the commit: if the commit fails, the file is deleted again.
 */
export async function writeDataFile(
  tx: SnapshotWriter,
  store: ObjectStore,
  pieces: LakePieces,
  table: CurrentTable,
  staged: string,
): Promise<WrittenFile | undefined> {
  const { db } = tx;
  const rows = await db.value<number>(`select count(*)::bigint from ${quoteIdentifier(staged)}`);
  if (rows === 0) return undefined;

  const fileName = `ducklake-${randomUUID()}.parquet`;
  // A folder of its own, removed with the file: nothing is left in the system temp dir.
  const localDir = mkdtempSync(join(tmpdir(), 'mart-lake-'));
  const localPath = join(localDir, fileName);
  try {
    const fieldIds = table.columns.map((column) => `${quoteLiteral(column.name)}: ${column.columnId}`).join(', ');
    await db.run(
      `copy ${quoteIdentifier(staged)} to ${quoteLiteral(localPath)} (format parquet, field_ids {${fieldIds}})`,
    );
    const facts = await parquetFileFacts(db, localPath);
    const key = `${await readDataKeyPrefix(tx.db)}${table.dataDir}${fileName}`;
    await store.put(key, localPath);
    tx.onRollback(() => store.delete([key]), { keys: [key] });

    const columns = await columnStats(tx, table, staged, facts.columnSizes);
    const dataFileId = await pieces.registerDataFile(tx, table, {
      path: fileName,
      recordCount: rows,
      fileSizeBytes: facts.fileSizeBytes,
      footerSize: facts.footerSize,
      columns,
    });
    return { dataFileId, key, rows, bytes: facts.fileSizeBytes };
  } finally {
    rmSync(localDir, { recursive: true, force: true });
  }
}

/** Per-column statistics of the new file, in one pass over the staged rows. */
async function columnStats(
  tx: SnapshotWriter,
  table: CurrentTable,
  staged: string,
  columnSizes: Map<string, number>,
): Promise<ColumnStats[]> {
  const measures = table.columns.flatMap((column, i) => {
    const name = quoteIdentifier(column.name);
    return [
      `count(${name})::bigint as v${i}`,
      `(count(*) - count(${name}))::bigint as n${i}`,
      `min(${name})::varchar as lo${i}`,
      `max(${name})::varchar as hi${i}`,
      column.duckDbType === 'DOUBLE' || column.duckDbType === 'FLOAT'
        ? `bool_or(isnan(${name})) as nan${i}`
        : `null::boolean as nan${i}`,
    ];
  });
  const [stats] = await tx.db.all(`select ${measures.join(', ')} from ${quoteIdentifier(staged)}`);
  return table.columns.map((column, i) => {
    const nulls = Number(stats?.[`n${i}`] ?? 0);
    return {
      columnId: column.columnId,
      sizeBytes: columnSizes.get(column.name) ?? 0,
      valueCount: Number(stats?.[`v${i}`] ?? 0) + nulls,
      nullCount: nulls,
      min: (stats?.[`lo${i}`] as string | null) ?? null,
      max: (stats?.[`hi${i}`] as string | null) ?? null,
      containsNan: (stats?.[`nan${i}`] as boolean | null) ?? null,
    };
  });
}

/** Adds to (or subtracts from) a table's running totals in ducklake_table_stats. */
export async function addToTableStats(
  tx: SnapshotWriter,
  tableId: number,
  change: { rows: number; nextRowIds: number; bytes: number },
): Promise<void> {
  const { db } = tx;
  const [current] = await db.all<{ record_count: number; next_row_id: number; file_size_bytes: number }>(
    `select record_count, next_row_id, file_size_bytes from ${catalogAlias}.ducklake_table_stats where table_id = $1`,
    [tableId],
  );
  await db.run(`delete from ${catalogAlias}.ducklake_table_stats where table_id = $1`, [tableId]);
  await db.run(`insert into ${catalogAlias}.ducklake_table_stats values ($1, $2, $3, $4)`, [
    tableId,
    Number(current?.record_count ?? 0) + change.rows,
    Number(current?.next_row_id ?? 0) + change.nextRowIds,
    Number(current?.file_size_bytes ?? 0) + change.bytes,
  ]);
}
