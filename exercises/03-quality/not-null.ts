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
 * @example
 * await checkNotNull({ type: 'not_null', table: 'dim_customer', name: 'not_null(email)', column: 'email' }, ctx)
 */
export async function checkNotNull(check: NotNullCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/not-null');
}
