import type { Database } from '@mart/shared';
import type { CurrentTable } from '../../given/index.ts';
import { catalogAlias } from '../lake-session.ts';
import { duckDbTypeOf } from '../read/duckdb-type.ts';

export type { CurrentColumn, CurrentTable } from '../../given/index.ts';

/**
 * The key prefix of the data path inside its store: `lake/` for `s3://mart-lake/lake/`,
 * `data/` for a local lake's relative `data/`.
 */
export async function readDataKeyPrefix(db: Database): Promise<string> {
  return (await readDataPath(db)).replace(/^[a-z0-9]+:\/\/[^/]+\//, '');
}

/** The lake's data_path, e.g. `s3://mart-lake/lake/`. */
export async function readDataPath(db: Database): Promise<string> {
  return db.value<string>(`select "value" from ${catalogAlias}.ducklake_metadata where "key" = 'data_path'`);
}

/** The current schema's id, or undefined. */
export async function findSchema(
  db: Database,
  schemaName: string,
): Promise<{ schemaId: number; path: string } | undefined> {
  const [row] = await db.all<{ schema_id: number; path: string }>(
    `select schema_id, path from ${catalogAlias}.ducklake_schema where schema_name = $1 and end_snapshot is null`,
    [schemaName],
  );
  return row && { schemaId: row.schema_id, path: row.path };
}

/** The current table `schema.table` with its live columns, or undefined. */
export async function findTable(
  db: Database,
  schemaName: string,
  tableName: string,
): Promise<CurrentTable | undefined> {
  // One row per live top-level column (one row of NULLs for a table without any).
  const rows = await db.all<{
    schema_id: number;
    table_id: number;
    schema_path: string;
    table_path: string;
    column_id: number | null;
    column_name: string;
    column_type: string;
    initial_default: string | null;
    column_order: number;
  }>(
    `select s.schema_id, t.table_id, s.path as schema_path, t.path as table_path,
            c.column_id, c.column_name, c.column_type, c.initial_default, c.column_order
       from ${catalogAlias}.ducklake_table t
       join ${catalogAlias}.ducklake_schema s using (schema_id)
       left join ${catalogAlias}.ducklake_column c
         on c.table_id = t.table_id and c.end_snapshot is null and c.parent_column is null
      where s.schema_name = $1 and t.table_name = $2 and s.end_snapshot is null and t.end_snapshot is null
      order by c.column_order`,
    [schemaName, tableName],
  );
  const row = rows[0];
  if (!row) return undefined;
  const columns = rows.filter((column) => column.column_id !== null);
  return {
    schemaId: row.schema_id,
    schemaName,
    tableId: row.table_id,
    tableName,
    dataDir: `${row.schema_path}${row.table_path}`,
    columns: columns.map((column) => ({
      columnId: Number(column.column_id),
      name: column.column_name,
      lakeType: column.column_type,
      duckDbType: duckDbTypeOf(column.column_type),
      initialDefault: column.initial_default,
      order: column.column_order,
    })),
  };
}
