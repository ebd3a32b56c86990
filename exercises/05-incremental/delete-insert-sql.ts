import { NotImplementedError, quoteIdentifier } from '@mart/shared';
import type { IncrementalMergeOptions } from '@mart/stage-05-incremental/given';

/**
 * Exercise: delete+insert by partition.
 *
 * `incremental_strategy: delete+insert` replaces whole slices: every target row whose
 * key appears among this run's new rows is deleted, then all the new rows are inserted.
 * With `unique_key: sale_date` the key is a partition, so a run that brings one late
 * line of March 3rd rebuilds all of March 3rd: the model can recompute a day from
 * scratch (daily totals, ranks) instead of patching single rows.
 *
 * Return two statements, in order:
 * 1. `delete from <target> as DBT_INTERNAL_DEST where (<key columns>) in (select
 *    <key columns> from <source>)`, each of `predicates` added with AND. For one key
 *    column the parentheses are harmless; for several, DuckDB compares the tuples.
 * 2. `insert into <target> (<columns>) select <columns> from <source>`.
 * Quote every column name with quoteIdentifier; `target` and `source` are quoted already.
 * Both run in one transaction (the runner's), so readers never see the slice missing.
 *
 * @example
 * deleteInsertSql({ target: '"db"."main"."fct_sales"', source: '"fct_sales__dbt_tmp"',
 *   uniqueKey: ['sale_date'], columns: ['sale_date', 'amount'], predicates: [] })
 * // → ['delete from "db"."main"."fct_sales" as DBT_INTERNAL_DEST where ("sale_date") in (select "sale_date" from "fct_sales__dbt_tmp")',
 * //    'insert into "db"."main"."fct_sales" ("sale_date", "amount") select "sale_date", "amount" from "fct_sales__dbt_tmp"']
 */
export function deleteInsertSql(options: IncrementalMergeOptions): string[] {
  throw new NotImplementedError('05-incremental/delete-insert-sql');
}
