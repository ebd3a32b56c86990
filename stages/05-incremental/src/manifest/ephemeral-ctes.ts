/** One ephemeral model inlined as a CTE: `__dbt__cte__<name> as (…)`. */
export interface ExtraCte {
  /** The ephemeral model's unique_id. */
  id: string;
  /** ` __dbt__cte__<identifier> as (\n<its compiled SQL>\n)`, as dbt writes it. */
  sql: string;
}

/**
 * Puts the ephemeral CTEs in front of a compiled query, as dbt's
 * `_inject_ctes_into_sql` does: after the query's own leading `with` (followed by a
 * comma), or in a new `with` before its first token.
 *
 * @example
 * injectCtes('select * from __dbt__cte__a', [{ id: 'model.p.a', sql: ' __dbt__cte__a as (\nselect 1\n)' }])
 * // → 'with __dbt__cte__a as (\nselect 1\n)select * from __dbt__cte__a'
 */
export function injectCtes(sql: string, ctes: readonly ExtraCte[]): string {
  if (ctes.length === 0) return sql;
  const joined = ctes.map((cte) => cte.sql).join(', ');
  const start = skipWhitespaceAndComments(sql, 0);
  const withKeyword = /^with\b/i.exec(sql.slice(start));
  if (!withKeyword) return `${sql.slice(0, start)}with${joined}${sql.slice(start)}`;
  let end = start + withKeyword[0].length;
  // `with recursive`: the CTEs go after `recursive`.
  const afterWith = skipWhitespaceAndComments(sql, end);
  const recursive = /^recursive\b/i.exec(sql.slice(afterWith));
  if (recursive) end = afterWith + recursive[0].length;
  return `${sql.slice(0, end)}${joined},${sql.slice(end)}`;
}

function skipWhitespaceAndComments(sql: string, from: number): number {
  let i = from;
  for (;;) {
    while (i < sql.length && /\s/.test(sql.charAt(i))) i++;
    if (sql.startsWith('--', i)) {
      const newline = sql.indexOf('\n', i);
      i = newline === -1 ? sql.length : newline + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else return i;
  }
}
