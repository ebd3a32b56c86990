import type { Database } from '@mart/shared';
import type { Check } from '../given/index.ts';
import { type ParsedStatement, parseSql } from './parse-sql.ts';

/** A check ready to run (its SQL tidied), or why it must not run. */
export type VettedCheck = { check: Check; problem?: undefined } | { check?: undefined; problem: string };

const onlyOneSelect = 'only one SELECT (or WITH … SELECT) is allowed, and a check never changes data';

/**
 * Checks only read. The SQL a checks file brings — a `sql` check's query, a freshness
 * check's `expression` — must be exactly one SELECT; anything else (two statements, a
 * DELETE, CREATE, COPY, ATTACH, PRAGMA, SET…, or nothing at all) is refused here, before
 * it runs, with a message naming the check. DuckDB's parser decides (see parse-sql.ts).
 * An expression is judged as `select <expression>`, and must be that one expression.
 *
 * Why at run time, in the runner, and not while reading the checks file: asking DuckDB's
 * parser needs a database, and the runner has one open; reading the file stays
 * synchronous and database-free (later stages and the bench read it too). And like an
 * unknown column, a refused query makes only its own check an `error` (exit 3, which
 * blocks a build) while the other checks still run and are reported.
 *
 * The SQL that passes is handed on without a trailing `;` or `-- comment` (taken off only
 * when DuckDB parses the shorter text to the same statement, so a `--` inside a string is
 * safe), because check code embeds it: the freshness exercise writes
 * `epoch(max(<expression>))`, where a trailing comment would swallow the `))`.
 *
 * @example
 * const { check, problem } = await vetCheckSql(db, { type: 'sql', table: 't', name: 'x', sql: 'delete from t' });
 * // problem: 'the sql of check t.x is not a single SELECT: only one SELECT (or WITH … SELECT) is allowed, …'
 */
export async function vetCheckSql(db: Database, check: Check): Promise<VettedCheck> {
  const id = `${check.table}.${check.name}`;
  if (check.type === 'sql') {
    const vetted = await vetQuery(db, check.sql, `the sql of check ${id}`);
    return typeof vetted === 'string' ? { problem: vetted } : { check: { ...check, sql: vetted.sql } };
  }
  if (check.type === 'freshness' && check.expression !== undefined) {
    const vetted = await vetExpression(db, check.expression, `the expression of check ${id}`);
    return typeof vetted === 'string' ? { problem: vetted } : { check: { ...check, expression: vetted.sql } };
  }
  return { check };
}

/** A query: exactly one SELECT. Returns the problem, or the tidied SQL. */
async function vetQuery(db: Database, sql: string, what: string): Promise<string | { sql: string }> {
  const parsed = await parseSql(db, sql);
  if (parsed.kind === 'invalid') return `${what} is not valid SQL: ${parsed.message}`;
  if (parsed.kind === 'not-select') return `${what} is not a single SELECT: ${onlyOneSelect}`;
  if (parsed.statements.length === 0) {
    return `${what} is empty: write one SELECT that returns the failing rows (${onlyOneSelect})`;
  }
  if (parsed.statements.length > 1) return `${what} has ${parsed.statements.length} statements: ${onlyOneSelect}`;
  return { sql: await withoutTrailingNoise(db, sql, parsed.json, (text) => text) };
}

/** An expression: `select <expression>` is one SELECT of that one expression, and nothing else. */
async function vetExpression(db: Database, expression: string, what: string): Promise<string | { sql: string }> {
  const asSelect = (text: string) => `select ${text}`;
  const parsed = await parseSql(db, asSelect(expression));
  const example = 'one SQL expression, such as max(sold_at)';
  if (parsed.kind === 'invalid') {
    // `select ` alone is a syntax error; say what is really wrong: nothing was written.
    const alone = await parseSql(db, expression);
    if (alone.kind === 'selects' && alone.statements.length === 0) return `${what} is empty: write ${example}`;
    return `${what} is not valid SQL: ${parsed.message}`;
  }
  if (parsed.kind === 'not-select' || parsed.statements.length > 1) {
    return `${what} must be ${example}: ${onlyOneSelect}`;
  }
  const [statement] = parsed.statements;
  if (!statement) return `${what} is empty: write ${example}`;
  if (!isBareExpression(statement)) {
    return `${what} must be ${example}, without from, where, a second column or an alias`;
  }
  return { sql: await withoutTrailingNoise(db, expression, parsed.json, asSelect) };
}

/** `select <one expression>` and nothing more: no FROM, WHERE, GROUP BY, LIMIT, WITH, second column or alias. */
function isBareExpression({ node }: ParsedStatement): boolean {
  return (
    node.type === 'SELECT_NODE' &&
    node.select_list?.length === 1 &&
    !node.select_list[0]?.alias &&
    node.from_table?.type === 'EMPTY' &&
    node.where_clause === null &&
    (node.group_expressions?.length ?? 0) === 0 &&
    node.having === null &&
    node.qualify === null &&
    node.sample === null &&
    (node.modifiers?.length ?? 0) === 0 &&
    (node.cte_map?.map?.length ?? 0) === 0
  );
}

/**
 * `sql` without trailing `;` and a trailing `-- comment`. Each cut is kept only when
 * DuckDB parses the shorter text to exactly the same statement (`json` is the original's
 * syntax tree), so text that merely looks like a comment (`'a--b'`) stays.
 */
async function withoutTrailingNoise(
  db: Database,
  sql: string,
  json: string,
  wrap: (text: string) => string,
): Promise<string> {
  const same = async (text: string) => {
    const parsed = await parseSql(db, wrap(text));
    return parsed.kind === 'selects' && parsed.json === json;
  };
  let text = sql.trimEnd();
  for (;;) {
    let shorter: string | undefined;
    if (text.endsWith(';')) {
      const cut = text.slice(0, -1).trimEnd();
      if (await same(cut)) shorter = cut;
    } else {
      // Only a comment on the last line runs to the end of the text.
      const lastLine = text.lastIndexOf('\n') + 1;
      for (let at = text.indexOf('--', lastLine); at !== -1 && shorter === undefined; at = text.indexOf('--', at + 1)) {
        const cut = text.slice(0, at).trimEnd();
        if (cut !== '' && (await same(cut))) shorter = cut;
      }
    }
    if (shorter === undefined) return text;
    text = shorter;
  }
}
