import { countOf } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type SqlCheck } from '../given/index.ts';

/**
 * sql — anything the other types cannot say, as a query returning the failing rows
 * (dbt's singular tests, Soda's failed rows check). Zero rows = pass. The query comes
 * from the checks file, which is code you review like any other; the runner has made
 * sure it is one SELECT (src/run/vet-check-sql.ts), so a check cannot change the data.
 */
export async function checkCustomSql(check: SqlCheck, ctx: CheckContext): Promise<CheckResult> {
  // The newline ends a `-- comment` the query may end with, which would swallow the `)`.
  const [row] = await ctx.query<{ failing: number }>(`select count(*)::bigint as failing from (\n${check.sql}\n)`);
  const failing = Number(row?.failing ?? 0);
  return checkResult(check, {
    metric: 'failing_rows',
    value: failing,
    message: `${countOf(failing, 'row')} returned by the check's query`,
    failingRows: { sql: check.sql },
  });
}
