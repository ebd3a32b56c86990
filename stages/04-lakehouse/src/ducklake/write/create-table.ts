import { randomUUID } from 'node:crypto';
import { valuesList } from '@mart/shared';
import { catalogAlias } from '../lake-session.ts';
import { lakeTypeOf } from '../lake-type.ts';
import { duckDbTypeOf } from '../read/duckdb-type.ts';
import type { SnapshotWriter } from './commit-snapshot.ts';
import type { CurrentColumn, CurrentTable } from './current-table.ts';
import { quoteChange } from './quote-change.ts';

/** A column of a new table: its name and DuckDB type. */
export interface NewColumn {
  name: string;
  type: string;
}

/**
 * Creates `schema.table` with columns 1…n (column ids are per table and never reused:
 * they are the Parquet field ids of every file the table will have), and returns it as
 * findTable would read it back: the caller needs no second look at the catalog.
 */
export async function createTable(
  tx: SnapshotWriter,
  schemaName: string,
  tableName: string,
  columns: readonly NewColumn[],
): Promise<CurrentTable> {
  // The schema, and whether it already has a live table of that name, in one statement.
  const [schema] = await tx.db.all<{ schema_id: number; path: string; taken: boolean }>(
    `select s.schema_id, s.path, exists (
              select 1 from ${catalogAlias}.ducklake_table t
               where t.schema_id = s.schema_id and t.table_name = $2 and t.end_snapshot is null) as taken
       from ${catalogAlias}.ducklake_schema s
      where s.schema_name = $1 and s.end_snapshot is null`,
    [schemaName, tableName],
  );
  if (!schema) throw new Error(`Schema ${schemaName} does not exist in the lake.`);
  if (schema.taken) throw new Error(`Table ${schemaName}.${tableName} already exists.`);
  const tableId = tx.nextCatalogId();
  await tx.db.run(`insert into ${catalogAlias}.ducklake_table values ($1, $2::uuid, $3, null, $4, $5, $6, true)`, [
    tableId,
    randomUUID(),
    tx.snapshotId,
    schema.schema_id,
    tableName,
    `${tableName}/`,
  ]);
  const created = columns.map((column, i): CurrentColumn => {
    const lakeType = lakeTypeOf(column.type);
    return {
      columnId: i + 1,
      name: column.name,
      lakeType,
      duckDbType: duckDbTypeOf(lakeType),
      initialDefault: null,
      order: i + 1,
    };
  });
  // One insert for every column (a statement per column costs a millisecond each).
  const rows = created.map((column) => [
    column.columnId,
    tx.snapshotId,
    null,
    tableId,
    column.order,
    column.name,
    column.lakeType,
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
  return {
    schemaId: schema.schema_id,
    schemaName,
    tableId,
    tableName,
    dataDir: `${schema.path}${tableName}/`,
    columns: created,
  };
}
