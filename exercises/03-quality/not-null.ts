import { countOf, NotImplementedError, quoteIdentifier } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type NotNullCheck } from '@mart/stage-03-quality/given';

/**
 * Exercise: not_null — completeness.
 *
 * A customer without an email cannot get the newsletter; a sale without a store
 * cannot be counted per region. Count the rows of `check.table` where `check.column`
 * IS NULL, out of all its rows, and hand both to `checkResult`:
 *
 *   metric 'missing_count', value = missing rows, rows = all rows,
 *   message like '3 of 24 rows have no email',
 *   failingRows: a query selecting those rows (select * … where … is null).
 *
 * Measure with `ctx.measure(aggregate)`: the runner computes the measurements of all a
 * table's checks in one scan, so ask for both counts together with Promise.all.
 * Quote names with quoteIdentifier. (Soda calls this metric missing_count; dbt's test
 * is not_null.)
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
 *   dim_customer  customer_key integer, customer_id varchar, name varchar, email varchar
 *                 (may be NULL), city, country, segment varchar, signup_date date
 *   fact_sales    customer_key integer (never NULL in a good load)
 *
 * Careful: `rows` is count(*), every row; count("email") counts only the non-NULL ones.
 * An empty string '' is a value, not a missing one.
 *
 * @example
 * await checkNotNull({ type: 'not_null', table: 'dim_customer', name: 'not_null(email)', column: 'email' }, ctx)
 */
export async function checkNotNull(check: NotNullCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/not-null');
}
