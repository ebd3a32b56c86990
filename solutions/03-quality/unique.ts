import { quoteIdentifier } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type UniqueCheck } from '@mart/stage-03-quality/given';

/**
 * Exercise: unique — no two rows share a key (one column or several).
 *
 * fact_sales' grain is one row per (sale_id, line_number): a second row with the same
 * pair counts that sale line twice. Count the duplicates: rows whose key (all of
 * `check.columns` together) is not the first row with that key, i.e.
 * rows − distinct keys. Rows with a NULL in any key column are left out (a missing key
 * is not_null's business, as in dbt).
 *
 *   metric 'duplicate_count', value = duplicates, rows = all rows,
 *   message like '2 duplicate (sale_id, line_number) rows',
 *   failingRows: every row whose key appears more than once, ordered by the key.
 *
 * Hint: in DuckDB `count(distinct (a, b))` counts distinct pairs, and
 * `qualify count(*) over (partition by a, b) > 1` keeps the rows of repeated keys.
 *
 * @example
 * await checkUnique({ type: 'unique', table: 'fact_sales', name: 'unique(sale_id,line_number)', columns: ['sale_id', 'line_number'] }, ctx)
 */
export async function checkUnique(check: UniqueCheck, ctx: CheckContext): Promise<CheckResult> {
  // #region solution
  const columns = check.columns.map(quoteIdentifier);
  const key = columns.join(', ');
  const complete = columns.map((column) => `${column} is not null`).join(' and ');
  const [rows, keyed, distinct] = await Promise.all([
    ctx.measure('count(*)'),
    ctx.measure(`count(*) filter (where ${complete})`),
    ctx.measure(`count(distinct (${key})) filter (where ${complete})`),
  ]);
  const duplicates = (keyed ?? 0) - (distinct ?? 0);
  return checkResult(check, {
    metric: 'duplicate_count',
    value: duplicates,
    rows: rows ?? 0,
    message: `${duplicates} duplicate (${check.columns.join(', ')}) rows`,
    failingRows: {
      sql: `select * from ${quoteIdentifier(check.table)} where ${complete}
            qualify count(*) over (partition by ${key}) > 1 order by ${key}`,
    },
  });
  // #endregion
}
