import type { Database } from '@mart/shared';

/** A statement as DuckDB's parser serializes it (the fields stage 3 looks at). */
export interface ParsedStatement {
  node: {
    type: string;
    select_list?: { alias?: string }[];
    from_table?: { type?: string };
    where_clause?: unknown;
    group_expressions?: unknown[];
    having?: unknown;
    qualify?: unknown;
    sample?: unknown;
    modifiers?: unknown[];
    cte_map?: { map?: unknown[] };
  };
}

/** What DuckDB's parser makes of some SQL. */
export type ParsedSql =
  /** Only SELECTs (and WITH … SELECT, VALUES, FROM-first queries, which are SELECTs too); none for empty text. */
  | { kind: 'selects'; statements: ParsedStatement[]; json: string }
  /** Not SQL at all: DuckDB's syntax error. */
  | { kind: 'invalid'; message: string }
  /** Valid SQL, but some statement is not a SELECT (INSERT, DELETE, CREATE, COPY, ATTACH, PRAGMA, SET…). */
  | { kind: 'not-select'; message: string };

/**
 * Parses `sql` with DuckDB's own parser, without running it: `json_serialize_sql` returns
 * the statements' syntax trees as JSON, and refuses (with `error: true`) any statement that
 * is not a SELECT. So "is this only SELECTs, and how many?" is answered by the same parser
 * that would run the SQL, not by a regex that a comment or a string could fool. The SQL
 * is a bound parameter, never spliced into the query.
 *
 * Measured with DuckDB 1.5: `select 1; select 2` → 2 statements; `select 1; drop table t`,
 * `delete from t`, `pragma version` → error "Only SELECT statements can be serialized";
 * `select` → error_type "parser"; `''` and `-- note` → 0 statements.
 *
 * @example
 * await parseSql(db, 'select * from fact_sales where quantity < 0') // → { kind: 'selects', statements: [ … ], … }
 */
export async function parseSql(db: Database, sql: string): Promise<ParsedSql> {
  const json = await db.value<string>('select json_serialize_sql($1::varchar)', [sql]);
  const parsed = JSON.parse(json) as {
    error?: boolean;
    error_type?: string;
    error_message?: string;
    statements?: ParsedStatement[];
  };
  if (parsed.error) {
    const message = parsed.error_message ?? 'not valid SQL';
    return parsed.error_type === 'parser' ? { kind: 'invalid', message } : { kind: 'not-select', message };
  }
  return { kind: 'selects', statements: parsed.statements ?? [], json };
}
