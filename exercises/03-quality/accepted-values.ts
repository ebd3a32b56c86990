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
 * @example
 * await checkAcceptedValues({ type: 'accepted_values', table: 'dim_store', name: 'accepted_values(region)', column: 'region', values: ['North', 'South'] }, ctx)
 */
export async function checkAcceptedValues(check: AcceptedValuesCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/accepted-values');
}
