import { type Database, quoteIdentifier } from '@mart/shared';
import { lakeTypeOf } from './ducklake/lake-type.ts';
import type { SnapshotWriter } from './ducklake/write/commit-snapshot.ts';
import { createSchema } from './ducklake/write/create-schema.ts';
import { createTable } from './ducklake/write/create-table.ts';
import { findTable } from './ducklake/write/current-table.ts';
import { endTableFiles } from './ducklake/write/end-table-files.ts';
import { insertRows } from './ducklake/write/insert-rows.ts';
import type { ObjectStore } from './object-store.ts';
import type { LakePieces } from './pieces.ts';

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
  const db: Database = tx.db;
  const columns = (await db.all<{ column_name: string; column_type: string }>(`describe (${target.sourceSql})`)).map(
    (column) => ({ name: column.column_name, type: column.column_type }),
  );
  await createSchema(tx, target.schema);
  let table = await findTable(db, target.schema, target.name);
  const added: string[] = [];
  if (!table) {
    await createTable(tx, target.schema, target.name, columns);
  } else {
    for (const column of columns) {
      if (table.columns.some((existing) => existing.name === column.name)) continue;
      await pieces.addColumn(tx, table, { name: column.name, lakeType: lakeTypeOf(column.type), default: null });
      added.push(column.name);
    }
    await endTableFiles(tx, table.tableId);
  }
  table = await findTable(db, target.schema, target.name);
  if (!table) throw new Error(`${target.schema}.${target.name} vanished during the commit.`);
  const written = await insertRows(tx, store, pieces, table, target.sourceSql);
  return {
    table: `${target.schema}.${target.name}`,
    rows: written?.rows ?? 0,
    bytes: written?.bytes ?? 0,
    added,
  };
}

/** `select * from "name"`: a memory table as a publish source. */
export function allRowsOf(name: string): string {
  return `select * from ${quoteIdentifier(name)}`;
}
