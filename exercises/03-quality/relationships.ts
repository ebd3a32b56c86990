import { countOf, NotImplementedError, quoteIdentifier } from '@mart/shared';
import {
  type CheckContext,
  type CheckResult,
  checkResult,
  type RelationshipsCheck,
} from '@mart/stage-03-quality/given';

/**
 * Exercise: relationships — referential integrity.
 *
 * Every fact_sales.customer_key must exist in dim_customer.customer_key, or that sale
 * vanishes from every report joined by customer. Count the rows of `check.table` whose
 * `check.column` is NOT NULL and has no match in `check.to.table`.`check.to.column`.
 *
 *   metric 'orphan_count', value = those rows, rows = all rows,
 *   message like '2 rows whose customer_key is not in dim_customer.customer_key',
 *   failingRows: those rows.
 *
 * Inside ctx.measure the table is the FROM of the query, so refer to its column as
 * "<table>"."<column>" in a correlated `not exists (select 1 from <other> as _to where …)`.
 * Give the other table an alias: a table can point at itself (an employee's manager
 * is an employee), and without one both sides would be the same row.
 * (`not in (subquery)` quietly counts nothing when the other column holds a NULL.)
 *
 * @example
 * await checkRelationships({ type: 'relationships', table: 'fact_sales', name: 'relationships(customer_key)', column: 'customer_key', to: { table: 'dim_customer', column: 'customer_key' } }, ctx)
 */
export async function checkRelationships(check: RelationshipsCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/relationships');
}
