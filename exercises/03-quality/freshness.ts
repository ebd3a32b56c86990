import { NotImplementedError, quoteIdentifier } from '@mart/shared';
import {
  type CheckContext,
  type CheckResult,
  checkResult,
  type FreshnessCheck,
  formatHours,
} from '@mart/stage-03-quality/given';

/**
 * Exercise: freshness — is the newest data recent enough?
 *
 * A dashboard that still shows last month is wrong without a single bad row. Take the
 * newest value of `check.column` (quoted) or of `check.expression` (SQL, used as is),
 * and its age in hours relative to `ctx.now`, the reference time (tests pin it, so
 * never read the real clock here).
 *
 *   metric 'age_hours', value = age in hours (no `rows`: a percentage means nothing),
 *   message like 'newest sale_date is 2024-12-02 00:00 UTC, 29d old',
 *
 * Measure `epoch(max(<column>))`: seconds since 1970, a number measure() can return,
 * for a DATE (its midnight, UTC), a TIMESTAMP or a TIMESTAMPTZ alike. (Casting to
 * TIMESTAMP first would shift a TIMESTAMPTZ into this machine's time zone.) An empty table has no
 * newest row: throw an Error saying so (the runner reports it as an error outcome).
 * formatHours(…) writes an age for people.
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
 *   fact_sales    has no date column: date_key integer (yyyymmdd), so the check uses
 *                 `expression: strptime(date_key::varchar, '%Y%m%d')`
 * The graded tests add DATE, TIMESTAMP and TIMESTAMPTZ columns (sale_date, sold_at…).
 *
 * Careful: a check has `column` or `expression`, not both. epoch() gives seconds,
 * `ctx.now.getTime()` milliseconds.
 *
 * @example
 * await checkFreshness({ type: 'freshness', table: 'orders', name: 'freshness(ordered_at)', column: 'ordered_at', fail: { max_age: '1d' } }, ctx)
 */
export async function checkFreshness(check: FreshnessCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/freshness');
}
