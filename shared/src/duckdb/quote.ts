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
