import { quoteIdentifier } from '@mart/shared';
import { lakeConnection } from './ducklake/lake-session.ts';
import { lakeTypeOf } from './ducklake/lake-type.ts';
import type { SnapshotWriter } from './ducklake/write/commit-snapshot.ts';
import { createSchema } from './ducklake/write/create-schema.ts';
import { createTable } from './ducklake/write/create-table.ts';
import { type CurrentTable, findTable, readDataKeyPrefix } from './ducklake/write/current-table.ts';
import { endTableFiles } from './ducklake/write/end-table-files.ts';
import { describeQuery, rowsAsWritten, type SourceColumn } from './ducklake/write/insert-rows.ts';
import { type LocalDataFile, registerLocalDataFile, writeLocalDataFile } from './ducklake/write/write-data-file.ts';
import type { ObjectStore } from './object-store.ts';
import type { LakePieces } from './pieces.ts';
import { settleAll } from './transfer-limit.ts';

/** A lake table a build publishes, and the query (over the session's memory tables) giving its rows. */
export interface PublishTarget {
  schema: string;
  name: string;
  sourceSql: string;
}

/** What publishing one table did. */
export interface PublishedTable {
  table: string;
  rows: number;
  bytes: number;
  /** Columns added to an existing table (schema evolution). */
  added: string[];
}

/**
 * Inside one commit: makes lake table `schema.name` hold exactly the rows of `sourceSql`
 * (run in `db`). A new table is created from the query's columns; an existing one gets
 * any new columns added (old files keep reading, with NULL for them), its current files
 * ended, and one new file written. Older snapshots still see the old rows.
 */
export async function publishTable(
  tx: SnapshotWriter,
  store: ObjectStore,
  pieces: LakePieces,
  target: PublishTarget,
): Promise<PublishedTable> {
  const [published] = await publishTables(tx, store, pieces, [target]);
  if (!published) throw new Error(`Publishing ${target.schema}.${target.name} returned nothing.`);
  return published;
}

/**
 * {@link publishTable} for several tables in one commit, with the work overlapped. The
 * commit's connection prepares each table's catalog rows; a second connection
 * (lakeConnection) writes the table's Parquet file meanwhile, and its upload starts as
 * soon as the file is written. DuckDB runs the two connections' statements on two cores,
 * and a statement here takes about a millisecond whatever it does, so a build with nine
 * tables spends less time waiting. The store keeps at most its concurrency
 * (MART_S3_CONCURRENCY, default 8) uploads in flight. The files are registered in the
 * catalog once every upload has landed, in the order of `targets`.
 *
 * All or nothing, as before: if any step or upload fails, this waits for the file writes
 * and uploads still in flight to end, so that the commit's rollback deletes every object
 * that did land (each one registers its undo when it lands), then throws the first error.
 */
export async function publishTables(
  tx: SnapshotWriter,
  store: ObjectStore,
  pieces: LakePieces,
  targets: readonly PublishTarget[],
): Promise<PublishedTable[]> {
  const prepared: { target: PublishTarget; table: CurrentTable; added: string[] }[] = [];
  // Per table, in the order of `targets`: its file (undefined when it has no rows), once uploaded.
  const uploads: Promise<LocalDataFile | undefined>[] = [];
  const keyPrefix = await readDataKeyPrefix(tx.db);
  const fileWriter = await lakeConnection(tx.db);
  try {
    try {
      for (const target of targets) {
        const columns = await describeQuery(tx.db, target.sourceSql);
        const { table, added } = await prepareTable(tx, pieces, target, columns);
        const rows = await rowsAsWritten(tx.db, table, target.sourceSql, columns);
        prepared.push({ target, table, added });
        // Not awaited: the next table's catalog rows are prepared while this file is written.
        const upload = writeLocalDataFile(fileWriter, table, rows, keyPrefix).then(async (local) => {
          if (!local) return undefined;
          try {
            await store.put(local.key, local.localPath);
          } catch (error) {
            local.remove();
            throw error;
          }
          tx.onRollback(() => store.delete([local.key]), { keys: [local.key] });
          return local;
        });
        // Handled here and now (the error is thrown below, by settleAll): a failure
        // while the next table is still being prepared must not be an unhandled rejection.
        upload.catch(() => undefined);
        uploads.push(upload);
      }
    } finally {
      // Whatever happened, nothing may still be writing or uploading when this returns or throws.
      await settleAll(uploads).catch(() => undefined);
    }
    const locals = await settleAll(uploads);
    const published: PublishedTable[] = [];
    for (const [i, { target, table, added }] of prepared.entries()) {
      const local = locals[i];
      const written = local ? await registerLocalDataFile(tx, pieces, table, local) : undefined;
      published.push({
        table: `${target.schema}.${target.name}`,
        rows: written?.rows ?? 0,
        bytes: written?.bytes ?? 0,
        added,
      });
    }
    return published;
  } finally {
    fileWriter.close();
    // Every write has ended (above): remove the local files of those that succeeded.
    for (const result of await Promise.allSettled(uploads)) {
      if (result.status === 'fulfilled') result.value?.remove();
    }
  }
}

/** The catalog side of publishing one table: its schema, the table (created or with new columns), its old files ended. */
async function prepareTable(
  tx: SnapshotWriter,
  pieces: LakePieces,
  target: PublishTarget,
  columns: readonly SourceColumn[],
): Promise<{ table: CurrentTable; added: string[] }> {
  const table = await findTable(tx.db, target.schema, target.name);
  if (!table) {
    await createSchema(tx, target.schema);
    return { table: await createTable(tx, target.schema, target.name, columns), added: [] };
  }
  const added: string[] = [];
  for (const column of columns) {
    if (table.columns.some((existing) => existing.name === column.name)) continue;
    await pieces.addColumn(tx, table, { name: column.name, lakeType: lakeTypeOf(column.type), default: null });
    added.push(column.name);
  }
  await endTableFiles(tx, table.tableId);
  // Ending files changes no column: the table read above is still current, unless columns were added.
  if (added.length === 0) return { table, added };
  const widened = await findTable(tx.db, target.schema, target.name);
  if (!widened) throw new Error(`${target.schema}.${target.name} vanished during the commit.`);
  return { table: widened, added };
}

/** `select * from "name"`: a memory table as a publish source. */
export function allRowsOf(name: string): string {
  return `select * from ${quoteIdentifier(name)}`;
}
