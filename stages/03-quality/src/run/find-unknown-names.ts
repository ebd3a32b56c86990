import type { Check } from '../given/index.ts';

/** Tables (lower case) → their columns (lower case), from DuckDB's catalog. */
export type Catalog = Map<string, Set<string>>;

/**
 * Why a check cannot run against this warehouse (an unknown table or column), or
 * undefined when every name it uses exists. Checked before running, so the report says
 * `unknown column "emial" in dim_customer` instead of a raw SQL error.
 */
export function findUnknownNames(check: Check, catalog: Catalog): string | undefined {
  const tableColumns = catalog.get(check.table.toLowerCase());
  if (!tableColumns) return `unknown table ${check.table} (tables: ${[...catalog.keys()].join(', ')})`;
  const columns: [string, string][] = [];
  if ('column' in check && check.column !== undefined) columns.push([check.table, check.column]);
  if (check.type === 'unique') columns.push(...check.columns.map((column): [string, string] => [check.table, column]));
  if (check.type === 'relationships') {
    if (!catalog.has(check.to.table.toLowerCase()))
      return `unknown table ${check.to.table} in to: ${check.to.table}.${check.to.column}`;
    columns.push([check.to.table, check.to.column]);
  }
  for (const [table, column] of columns) {
    const known = catalog.get(table.toLowerCase()) ?? new Set();
    if (!known.has(column.toLowerCase())) {
      return `unknown column ${column} in ${table} (columns: ${[...known].join(', ')})`;
    }
  }
  return undefined;
}
