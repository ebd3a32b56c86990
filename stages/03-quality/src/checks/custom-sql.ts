import { countOf } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type SqlCheck } from '../given/index.ts';

/**
 * sql — anything the other types cannot say, as a query returning the failing rows
 * (dbt's singular tests, Soda's failed rows check). Zero rows = pass. The query comes
 * from the checks file, which is code you review like any other.
 */
export async function checkCustomSql(check: SqlCheck, ctx: CheckContext): Promise<CheckResult> {
  const [row] = await ctx.query<{ failing: number }>(`select count(*)::bigint as failing from (${check.sql})`);
  const failing = Number(row?.failing ?? 0);
  return checkResult(check, {
    metric: 'failing_rows',
    value: failing,
    message: `${countOf(failing, 'row')} returned by the check's query`,
    failingRows: { sql: check.sql },
  });
}
