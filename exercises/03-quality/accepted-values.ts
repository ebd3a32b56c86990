import { countOf, NotImplementedError, quoteIdentifier } from '@mart/shared';
import {
  type AcceptedValuesCheck,
  type CheckContext,
  type CheckResult,
  checkResult,
} from '@mart/stage-03-quality/given';

/**
 * Exercise: accepted_values — validity against a list.
 *
 * A segment of 'Enterprize' loads fine (it is text) but belongs to no report's
 * grouping. Count the rows whose `check.column` is NOT NULL and not one of
 * `check.values` (NULLs are not_null's business).
 *
 *   metric 'invalid_count', value = those rows, rows = all rows,
 *   message like "2 rows with a segment not in ('Consumer', 'Corporate')",
 *   failingRows: those rows.
 *
 * The values come from the checks file, so they go in as parameters, never into the
 * SQL text: write `in ($1, $2, $3)` (one placeholder per value) and pass
 * `check.values` as the params of ctx.measure and of failingRows.
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
 *   dim_customer  segment varchar; dim_product category varchar; dim_store region varchar
 *
 * Careful: `check.values` may hold numbers (for a numeric column) as well as strings.
 * `x not in (…)` is NULL, not true, when x is NULL; and values are compared exactly
 * ('consumer' is not 'Consumer').
 *
 * @example
 * await checkAcceptedValues({ type: 'accepted_values', table: 'dim_store', name: 'accepted_values(region)', column: 'region', values: ['North', 'South'] }, ctx)
 */
export async function checkAcceptedValues(check: AcceptedValuesCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/accepted-values');
}
