import { type Database, quoteIdentifier } from '@mart/shared';
import type { ObjectStore } from '../../object-store.ts';
import type { LakePieces } from '../../pieces.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import type { CurrentTable } from './current-table.ts';
import { type WrittenFile, writeDataFile } from './write-data-file.ts';

/**
 * Appends the rows of a query (run in the session's memory database) to a lake table:
 * the query's columns are matched to the table's by name and cast to their types, then
 * written as one new data file. Columns the query lacks are NULL. The rows go straight
 * from the query into the Parquet file: no staging table, and no cast when the query's
 * columns already are the table's.
 */
export async function insertRows(
  tx: SnapshotWriter,
  store: ObjectStore,
  pieces: LakePieces,
  table: CurrentTable,
  sourceSql: string,
): Promise<WrittenFile | undefined> {
  return writeDataFile(tx, store, pieces, table, await rowsAsWritten(tx.db, table, sourceSql));
}

/**
 * The rows of `sourceSql` exactly as insertRows writes them into `table`: the table's
 * columns in order, matched by name and cast to their types, NULL where the query has no
 * such column. What a build compares with the lake to see whether anything changed.
 * When the query already returns exactly the table's columns (names, order and types),
 * it is returned as it is: casting a column to its own type would only cost time.
 */
export async function rowsAsWritten(db: Database, table: CurrentTable, sourceSql: string): Promise<string> {
  const described = await db.all<{ column_name: string; column_type: string }>(`describe (${sourceSql})`);
  const same =
    described.length === table.columns.length &&
    described.every(
      (column, i) =>
        column.column_name === table.columns[i]?.name && column.column_type === table.columns[i]?.duckDbType,
    );
  if (same) return sourceSql;
  const sourceColumns = new Set(described.map((row) => row.column_name));
  const select = table.columns
    .map((column) => {
      const name = quoteIdentifier(column.name);
      const value = sourceColumns.has(column.name) ? `source.${name}` : 'null';
      return `cast(${value} as ${column.duckDbType}) as ${name}`;
    })
    .join(', ');
  return `select ${select} from (${sourceSql}) source`;
}
