/**
 * The placeholders of a multi-row `values` list: `($1, $2), ($3, $4)` for two rows of
 * two values, numbered in the order of `rows.flat()`, which is what to bind. One
 * statement for many rows instead of one per row: DuckDB spends about a millisecond on
 * each statement whatever its size, so a loop of small inserts is mostly overhead.
 *
 * @example
 * const rows = [[1, 'ST01'], [2, 'ST02']];
 * await db.run(`insert into dim_store values ${valuesList(rows)}`, rows.flat());
 */
export function valuesList(rows: readonly (readonly unknown[])[]): string {
  let n = 0;
  return rows.map((row) => `(${row.map(() => `$${++n}`).join(', ')})`).join(', ');
}
