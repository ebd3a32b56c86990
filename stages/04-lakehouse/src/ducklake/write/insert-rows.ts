import { type Database, quoteIdentifier } from '@mart/shared';
import type { ObjectStore } from '../../object-store.ts';
import type { LakePieces } from '../../pieces.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import type { CurrentTable } from './current-table.ts';
import { type WrittenFile, writeDataFile } from './write-data-file.ts';

/**
 * Appends the rows of a query (run in the session's memory database) to a lake table:
 * the query's columns are matched to the table's by name and cast to their types, then
 * written as one new data file. Columns the query lacks are NULL.
 */
export async function insertRows(
  tx: SnapshotWriter,
  store: ObjectStore,
  pieces: LakePieces,
  table: CurrentTable,
  sourceSql: string,
): Promise<WrittenFile | undefined> {
  const staged = `__insert_${tx.snapshotId}_${table.tableId}`;
  await tx.db.run(
    `create or replace temp table ${quoteIdentifier(staged)} as ${await rowsAsWritten(tx.db, table, sourceSql)}`,
  );
  try {
    return await writeDataFile(tx, store, pieces, table, staged);
  } finally {
    await tx.db.run(`drop table if exists ${quoteIdentifier(staged)}`);
  }
}

/**
 * The rows of `sourceSql` exactly as insertRows writes them into `table`: the table's
 * columns in order, matched by name and cast to their types, NULL where the query has no
 * such column. What a build compares with the lake to see whether anything changed.
 */
export async function rowsAsWritten(db: Database, table: CurrentTable, sourceSql: string): Promise<string> {
  const sourceColumns = new Set(
    (await db.all<{ column_name: string }>(`describe (${sourceSql})`)).map((row) => row.column_name),
  );
  const select = table.columns
    .map((column) => {
      const name = quoteIdentifier(column.name);
      const value = sourceColumns.has(column.name) ? `source.${name}` : 'null';
      return `cast(${value} as ${column.duckDbType}) as ${name}`;
    })
    .join(', ');
  return `select ${select} from (${sourceSql}) source`;
}
