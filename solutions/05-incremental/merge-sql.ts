import { quoteIdentifier } from '@mart/shared';
import type { IncrementalMergeOptions } from '@mart/stage-05-incremental/given';

/**
 * Exercise: The merge on a unique key.
 *
 * `incremental_strategy: merge` upserts: a new row whose key is already in the table
 * replaces that row (a correction), a new key is inserted (new or late data). The
 * runner has put this run's new rows in a temporary table (`source`) and checked that
 * their keys are unique and not NULL; you write the statement that applies them.
 *
 * Return one DuckDB `MERGE INTO` statement (as the only element of the array):
 * - target aliased `DBT_INTERNAL_DEST`, source aliased `DBT_INTERNAL_SOURCE`;
 * - matched on every `uniqueKey` column (`DBT_INTERNAL_SOURCE."k" = DBT_INTERNAL_DEST."k"`,
 *   joined with AND), plus each of `predicates` (already SQL) with AND;
 * - `WHEN MATCHED THEN UPDATE SET` every column that is not part of the key, to the
 *   source's value; when every column is a key column, a matched row stays as it is;
 * - `WHEN NOT MATCHED THEN INSERT (…) VALUES (…)` with every column in `columns` order.
 * Quote every column name with quoteIdentifier (names may hold spaces or quotes);
 * `target` and `source` are quoted already.
 *
 * @example
 * mergeSql({ target: '"db"."main"."stg_sales"', source: '"stg_sales__dbt_tmp"',
 *   uniqueKey: ['sale_id', 'line_number'], columns: ['sale_id', 'line_number', 'quantity'], predicates: [] })
 * // → ['merge into "db"."main"."stg_sales" as DBT_INTERNAL_DEST using "stg_sales__dbt_tmp" as DBT_INTERNAL_SOURCE
 * //     on DBT_INTERNAL_SOURCE."sale_id" = DBT_INTERNAL_DEST."sale_id" and … = DBT_INTERNAL_DEST."line_number"
 * //     when matched then update set "quantity" = DBT_INTERNAL_SOURCE."quantity"
 * //     when not matched then insert ("sale_id", "line_number", "quantity") values (DBT_INTERNAL_SOURCE."sale_id", …)']
 */
export function mergeSql(options: IncrementalMergeOptions): string[] {
  // #region solution
  const source = (column: string) => `DBT_INTERNAL_SOURCE.${quoteIdentifier(column)}`;
  const matches = [
    ...options.uniqueKey.map((key) => `${source(key)} = DBT_INTERNAL_DEST.${quoteIdentifier(key)}`),
    ...options.predicates.map((predicate) => `(${predicate})`),
  ];
  const keys = new Set(options.uniqueKey);
  const updates = options.columns.filter((column) => !keys.has(column));
  const whenMatched =
    updates.length === 0
      ? ''
      : `\nwhen matched then update set ${updates.map((column) => `${quoteIdentifier(column)} = ${source(column)}`).join(', ')}`;
  return [
    `merge into ${options.target} as DBT_INTERNAL_DEST
using ${options.source} as DBT_INTERNAL_SOURCE
on ${matches.join(' and ')}${whenMatched}
when not matched then insert (${options.columns.map(quoteIdentifier).join(', ')})
  values (${options.columns.map(source).join(', ')})`,
  ];
  // #endregion
}
