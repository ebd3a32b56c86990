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
 *   fact_sales    sale_id varchar, line_number integer (the line within the sale), …
 *   dim_customer  customer_id varchar; dim_product product_id; dim_store store_id
 *
 * Careful: `check.columns` is a list even for one column. `value` counts the extra copies
 * (three rows with one key are 2 duplicates) while failingRows holds every copy (all 3).
 * `rows` is count(*), NULL keys included.
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
