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
 * API (the runner hands you `ctx`; checkResult comes from the stage's given code):
 * - `ctx.measure(expression, params?)` → Promise<number | null>: one aggregate over
 *   check.table, e.g. `sum("quantity")` or `count(*) filter (where "quantity" > $1)` with
 *   [100]. Each expression numbers its own parameters from $1. Nothing runs at once: the
 *   table's measures are computed together in ONE `select <a>, <b>, … from <table>`, so
 *   start yours together (Promise.all). The result must be a number (a count, a sum,
 *   epoch(…)); an aggregate over no rows, like max(), gives null.
 * - `ctx.query<T>(sql, params?)` runs a whole query now and returns plain rows.
 * - `ctx.now` is the reference time "now" (a Date).
 * - `checkResult(check, { metric, value, rows?, message, failingRows? })` turns your
 *   measurement into the CheckResult, thresholds applied. `failingRows: { sql, params? }`
 *   is a query the runner runs later for the report's samples.
 *
 *   const [units, big] = await Promise.all([ctx.measure('sum("quantity")'), ctx.measure('count(*) filter (where "quantity" > $1)', [100])]);
 *
 * Tables: whichever `check.table` names. stages/03-quality/checks.yml checks stage 3's
 * warehouse, the star schema of stages 1 and 2 (`pnpm stage 1 inspect` lists its columns)
 * plus rejected_rows; the graded tests build small tables of their own, some with names
 * that need quoting. In checks.yml:
 *   fact_sales    customer_key, product_key, store_key, date_key (all integer) →
 *   dim_customer.customer_key, dim_product.product_key, dim_store.store_key,
 *   dim_date.date_key (integer surrogate keys)
 *
 * Careful with names: `check.column` is on check.table, `check.to.column` on
 * check.to.table; they may be named differently (returned_by → customer_key) or be the
 * same table.
 *
 * @example
 * await checkRelationships({ type: 'relationships', table: 'fact_sales', name: 'relationships(customer_key)', column: 'customer_key', to: { table: 'dim_customer', column: 'customer_key' } }, ctx)
 */
export async function checkRelationships(check: RelationshipsCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/relationships');
}
