/**
 * Quotes a table or column name for SQL by doubling inner double quotes, so any name a
 * user or a file supplies is an identifier and never SQL.
 *
 * @example
 * quoteIdentifier('dim "odd" name') // → "dim ""odd"" name"
 */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Quotes a string literal by doubling single quotes. Only for the few places DuckDB does
 * not accept a parameter (a COPY target path, an ATTACH path); values go in as parameters.
 *
 * @example
 * quoteLiteral("it's.csv") // → 'it''s.csv'
 */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * A qualified name such as `schema.table` or `"__lake"."ducklake_snapshot"`, every part
 * quoted, whatever the caller named an attached database.
 *
 * @example
 * quoteQualified('__lake', 'ducklake_snapshot') // → "__lake"."ducklake_snapshot"
 */
export function quoteQualified(...parts: string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

/**
 * An id or number written into generated SQL where DuckDB takes no parameter. Refuses
 * anything but a safe integer, so a number can never carry SQL text.
 *
 * @example
 * integerLiteral(18) // → '18'
 */
export function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Expected an integer, got ${value}.`);
  return String(value);
}
