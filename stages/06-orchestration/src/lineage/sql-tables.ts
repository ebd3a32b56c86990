import type { TableName } from './column-lineage.ts';
import type { DatasetRef } from './datasets.ts';

/** A table a model's SQL may read: its name in the database, the dataset it is in the events, its columns if known. */
export interface SqlTable {
  /** `"stage-05"."main"."stg_sales"`, `lake.bronze.sales`: database, schema, identifier. */
  relation: { database: string; schema: string; identifier: string };
  /** The input dataset of the event (column lineage must point at datasets the event lists). */
  dataset: DatasetRef;
  /** Its column names in order, when known (they expand `*`). */
  columns?: readonly string[];
}

/**
 * Which of `tables` a table name in the SQL means: the identifier must match, and the
 * schema and database when the SQL spells them (DuckDB compares them case-insensitively,
 * so this does too). A name two tables could be (`stg_sales` in two schemas, no schema
 * written) is neither: undefined, and that table's columns get no lineage rather than a
 * wrong one.
 *
 * @example
 * const resolve = sqlTableResolver([{ relation: { database: 'lake', schema: 'bronze', identifier: 'sales' }, dataset }]);
 * resolve({ catalog: 'lake', schema: 'bronze', table: 'sales' })?.dataset // → dataset
 */
export function sqlTableResolver(tables: readonly SqlTable[]): (name: TableName) => SqlTable | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return (name) => {
    const found = tables.filter(
      ({ relation }) =>
        same(relation.identifier, name.table) &&
        (name.schema === undefined || same(relation.schema, name.schema)) &&
        (name.catalog === undefined || same(relation.database, name.catalog)),
    );
    return found.length === 1 ? found[0] : undefined;
  };
}
