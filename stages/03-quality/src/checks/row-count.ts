import { countOf } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type RowCountCheck } from '../given/index.ts';

/** row_count — volume: too few rows (a load that half failed) or too many (a duplicated load). */
export async function checkRowCount(check: RowCountCheck, ctx: CheckContext): Promise<CheckResult> {
  const rows = (await ctx.measure('count(*)')) ?? 0;
  return checkResult(check, { metric: 'row_count', value: rows, message: countOf(rows, 'row') });
}
