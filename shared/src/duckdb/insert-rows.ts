import type { Database } from './database.ts';
import { quoteIdentifier, quoteLiteral } from './quote.ts';

/** A value {@link insertRows} can insert: DuckDB converts it to the column's type. */
export type InsertValue = string | number | boolean | null;

/**
 * Inserts plain objects into an existing table. The rows travel as one JSON parameter
 * and DuckDB unpacks them with `from_json` into the table's own column types: values
 * are never spliced into SQL, and it is about ten times faster than binding one
 * parameter per value (measured: 731 rows × 10 columns, 30 ms vs 230–370 ms).
 *
 * @example
 * await insertRows(db, 'dim_store', [{ store_key: 1, store_id: 'ST01', name: 'Harbour' }]);
 */
export async function insertRows(
  db: Database,
  table: string,
  rows: ReadonlyArray<Record<string, InsertValue>>,
  batchSize = 50_000,
): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  // DESCRIBE binds the one table; duckdb_columns() lists every column of every attached
  // database first (up to 15 ms against 1 ms with a lake catalog attached).
  const types = await db.all<{ column_name: string; column_type: string }>(
    `select column_name, column_type from (describe ${quoteIdentifier(table)})`,
  );
  const typeOf = new Map(types.map((column) => [column.column_name, column.column_type]));
  const structure: Record<string, string> = {};
  for (const column of Object.keys(first)) {
    const type = typeOf.get(column);
    if (!type) throw new Error(`Table ${table} has no column "${column}".`);
    structure[column] = type;
  }
  // The structure comes from the catalog, not from input; it is still quoted as a literal.
  const sql = `insert into ${quoteIdentifier(table)} by name
    select unnest(from_json($1::json, ${quoteLiteral(JSON.stringify([structure]))}), recursive := true)`;
  for (let start = 0; start < rows.length; start += batchSize) {
    await db.run(sql, [JSON.stringify(rows.slice(start, start + batchSize))]);
  }
  return rows.length;
}
