import { countOf } from '@mart/shared';
import { type CheckContext, type CheckResult, checkResult, type SchemaCheck } from '../given/index.ts';

/**
 * schema — the table's shape: required columns (and their types), forbidden columns.
 * The metric is the number of problems; the message lists them.
 */
export async function checkSchema(check: SchemaCheck, ctx: CheckContext): Promise<CheckResult> {
  const actual = await ctx.query<{ name: string; type: string }>(
    `select column_name as name, data_type as type from duckdb_columns()
      where schema_name = 'main' and database_name = current_database() and table_name = $1
      order by column_index`,
    [check.table],
  );
  const typeOf = new Map(actual.map((column) => [column.name.toLowerCase(), column.type]));
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(check.columns)) {
    const type = typeOf.get(name.toLowerCase());
    if (type === undefined) problems.push(`missing column ${name}`);
    else if (expected !== null && normaliseType(expected) !== normaliseType(type)) {
      problems.push(`${name} is ${type}, expected ${expected.toUpperCase()}`);
    }
  }
  for (const name of check.forbidden) {
    if (typeOf.has(name.toLowerCase())) problems.push(`forbidden column ${name} is present`);
  }
  return checkResult(check, {
    metric: 'schema_problems',
    value: problems.length,
    message: problems.length === 0 ? `${countOf(actual.length, 'column')} as declared` : problems.join('; '),
  });
}

/** Other names for DuckDB's types, as people write them in checks files. */
const aliases: Record<string, string> = {
  INT: 'INTEGER',
  INT4: 'INTEGER',
  INT8: 'BIGINT',
  LONG: 'BIGINT',
  INT2: 'SMALLINT',
  INT1: 'TINYINT',
  TEXT: 'VARCHAR',
  STRING: 'VARCHAR',
  FLOAT8: 'DOUBLE',
  FLOAT4: 'FLOAT',
  REAL: 'FLOAT',
  BOOL: 'BOOLEAN',
  NUMERIC: 'DECIMAL',
};

/** `decimal(10, 2)` → `DECIMAL(10,2)`, `text` → `VARCHAR`. */
function normaliseType(type: string): string {
  const compact = type.toUpperCase().replace(/\s+/g, '');
  const [, base = compact, rest = ''] = /^([A-Z0-9_]+)(.*)$/.exec(compact) ?? [];
  return `${aliases[base] ?? base}${rest}`;
}
