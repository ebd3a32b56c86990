import { randomUUID } from 'node:crypto';
import { valuesList } from '@mart/shared';
import { catalogAlias } from '../lake-session.ts';
import { lakeTypeOf } from '../lake-type.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import { findSchema, findTable } from './current-table.ts';
import { quoteChange } from './quote-change.ts';

/** A column of a new table: its name and DuckDB type. */
export interface NewColumn {
  name: string;
  type: string;
}

/**
 * Creates `schema.table` with columns 1…n (column ids are per table and never reused:
 * they are the Parquet field ids of every file the table will have).
 */
export async function createTable(
  tx: SnapshotWriter,
  schemaName: string,
  tableName: string,
  columns: readonly NewColumn[],
): Promise<number> {
  const schema = await findSchema(tx.db, schemaName);
  if (!schema) throw new Error(`Schema ${schemaName} does not exist in the lake.`);
  if (await findTable(tx.db, schemaName, tableName))
    throw new Error(`Table ${schemaName}.${tableName} already exists.`);
  const tableId = tx.nextCatalogId();
  await tx.db.run(`insert into ${catalogAlias}.ducklake_table values ($1, $2::uuid, $3, null, $4, $5, $6, true)`, [
    tableId,
    randomUUID(),
    tx.snapshotId,
    schema.schemaId,
    tableName,
    `${tableName}/`,
  ]);
  // One insert for every column (a statement per column costs a millisecond each).
  const rows = columns.map((column, i) => [
    i + 1,
    tx.snapshotId,
    null,
    tableId,
    i + 1,
    column.name,
    lakeTypeOf(column.type),
    null,
    'NULL',
    true,
    null,
    'literal',
    'duckdb',
  ]);
  if (rows.length > 0) {
    await tx.db.run(`insert into ${catalogAlias}.ducklake_column values ${valuesList(rows)}`, rows.flat());
  }
  await tx.db.run(`insert into ${catalogAlias}.ducklake_table_stats values ($1, 0, 0, 0)`, [tableId]);
  tx.changed(`created_table:${quoteChange(schemaName)}.${quoteChange(tableName)}`);
  tx.schemaChanged(tableId);
  return tableId;
}
