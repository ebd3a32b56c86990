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
 * `described` is the query's columns, for a caller that has just described it.
 */
export async function rowsAsWritten(
  db: Database,
  table: CurrentTable,
  sourceSql: string,
  described?: readonly SourceColumn[],
): Promise<string> {
  const source = described ?? (await describeQuery(db, sourceSql));
  const same =
    source.length === table.columns.length &&
    source.every((column, i) => column.name === table.columns[i]?.name && column.type === table.columns[i]?.duckDbType);
  if (same) return sourceSql;
  const sourceColumns = new Set(source.map((column) => column.name));
  const select = table.columns
    .map((column) => {
      const name = quoteIdentifier(column.name);
      const value = sourceColumns.has(column.name) ? `source.${name}` : 'null';
      return `cast(${value} as ${column.duckDbType}) as ${name}`;
    })
    .join(', ');
  return `select ${select} from (${sourceSql}) source`;
}

/** A column a query returns: its name and DuckDB type. */
export interface SourceColumn {
  name: string;
  type: string;
}

/** The columns `sql` returns, in order (DuckDB's DESCRIBE, which plans the query without running it). */
export async function describeQuery(db: Database, sql: string): Promise<SourceColumn[]> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`describe (${sql})`);
  return rows.map((row) => ({ name: row.column_name, type: row.column_type }));
}
