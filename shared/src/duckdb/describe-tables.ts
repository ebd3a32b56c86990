import type { Database } from './database.ts';
import { quoteIdentifier } from './quote.ts';

/** One column as DuckDB's catalog reports it. */
export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
}

/** One table with its columns and row count. */
export interface TableInfo {
  name: string;
  rows: number;
  columns: ColumnInfo[];
}

/**
 * Every table in the main schema, alphabetically, with columns (in order) and row
 * counts. `inspect` commands and tests use it.
 *
 * @example
 * const tables = await describeTables(db); // → [{ name: 'dim_customer', rows: 20, columns: [...] }, ...]
 */
export async function describeTables(db: Database): Promise<TableInfo[]> {
  const columns = await db.all<{ table_name: string; column_name: string; data_type: string; is_nullable: boolean }>(
    `select table_name, column_name, data_type, is_nullable
       from duckdb_columns()
      where schema_name = 'main' and not internal
      order by table_name, column_index`,
  );
  const tables = new Map<string, TableInfo>();
  for (const column of columns) {
    const table = tables.get(column.table_name) ?? { name: column.table_name, rows: 0, columns: [] };
    table.columns.push({ name: column.column_name, type: column.data_type, nullable: column.is_nullable });
    tables.set(column.table_name, table);
  }
  for (const table of tables.values()) {
    table.rows = await db.value<number>(`select count(*) from ${quoteIdentifier(table.name)}`);
  }
  return [...tables.values()];
}
