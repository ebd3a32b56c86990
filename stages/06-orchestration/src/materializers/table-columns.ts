import type { Database } from '@mart/shared';
import type { ReadTable, TableColumn } from '../assets/define-asset.ts';

/** A table by its three-part name, as stage 5's manifest names relations. */
export type Relation = ReadTable['relation'];

/** The key {@link tableColumns} answers under: the lower-cased `database.schema.identifier`. */
export function relationKey(relation: Relation): string {
  return `${relation.database}.${relation.schema}.${relation.identifier}`.toLowerCase();
}

/**
 * The columns of some tables and views, in order, from DuckDB's information_schema: one
 * query for all of them, whatever database each is in (the warehouse, the mounted lake).
 * A relation that does not exist is simply absent from the answer. DuckDB compares
 * identifiers case-insensitively, so this does too.
 *
 * @example
 * const columns = await tableColumns(db, [{ database: 'stage-05', schema: 'main', identifier: 'fct_sales' }]);
 * columns.get('stage-05.main.fct_sales') // → [{ name: 'sale_id', type: 'VARCHAR' }, …]
 */
export async function tableColumns(db: Database, relations: readonly Relation[]): Promise<Map<string, TableColumn[]>> {
  const found = new Map<string, TableColumn[]>();
  const unique = [...new Map(relations.map((relation) => [relationKey(relation), relation])).values()];
  if (unique.length === 0) return found;
  const params: string[] = [];
  const matches = unique.map((relation) => {
    params.push(relation.database.toLowerCase(), relation.schema.toLowerCase(), relation.identifier.toLowerCase());
    const n = params.length;
    return `(lower(table_catalog) = $${n - 2} and lower(table_schema) = $${n - 1} and lower(table_name) = $${n})`;
  });
  const rows = await db.all<{ database: string; schema: string; table: string; name: string; type: string }>(
    `select table_catalog as "database", table_schema as "schema", table_name as "table",
            column_name as name, data_type as type
       from information_schema.columns
      where ${matches.join(' or ')}
      order by table_catalog, table_schema, table_name, ordinal_position`,
    params,
  );
  for (const row of rows) {
    const key = relationKey({ database: row.database, schema: row.schema, identifier: row.table });
    const columns = found.get(key) ?? [];
    columns.push({ name: row.name, type: row.type });
    found.set(key, columns);
  }
  return found;
}
