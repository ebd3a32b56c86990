import { countOf, quoteIdentifier } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type RangeCheck, type SqlValue } from '../given/index.ts';

/** range — validity: values outside [min, max] (either bound optional, both inclusive). */
export async function checkRange(check: RangeCheck, ctx: CheckContext): Promise<CheckResult> {
  const column = quoteIdentifier(check.column);
  const outside: string[] = [];
  const params: SqlValue[] = [];
  if (check.min !== undefined) {
    params.push(check.min);
    outside.push(`${column} < $${params.length}`);
  }
  if (check.max !== undefined) {
    params.push(check.max);
    outside.push(`${column} > $${params.length}`);
  }
  const where = `${column} is not null and (${outside.join(' or ')})`;
  const [rows, count] = await Promise.all([
    ctx.measure('count(*)'),
    ctx.measure(`count(*) filter (where ${where})`, params),
  ]);
  const bounds = `[${check.min ?? '-∞'}, ${check.max ?? '∞'}]`;
  return checkResult(check, {
    metric: 'out_of_range_count',
    value: count ?? 0,
    rows: rows ?? 0,
    message: `${countOf(count ?? 0, 'row')} with ${check.column} outside ${bounds}`,
    failingRows: { sql: `select * from ${quoteIdentifier(check.table)} where ${where}`, params },
  });
}
