// Given (not an exercise): naming catalog tables and ids safely in generated SQL.
import { quoteIdentifier } from '@mart/shared';

/**
 * A catalog table as SQL: the DuckLake catalog is ATTACHed under `alias`, so its
 * tables are `"alias"."ducklake_…"`. Both parts are quoted, whatever the caller named
 * the attachment.
 *
 * @example
 * catalogTable('__lake', 'ducklake_snapshot') // → "__lake"."ducklake_snapshot"
 */
export function catalogTable(alias: string, table: string): string {
  return `${quoteIdentifier(alias)}.${quoteIdentifier(table)}`;
}

/**
 * An id or snapshot number written into generated SQL. Catalog ids are integers; this
 * refuses anything else, so a number can never carry SQL text.
 *
 * @example
 * integerLiteral(18) // → '18'
 */
export function integerLiteral(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Expected an integer id, got ${value}.`);
  return String(value);
}
