import { NotImplementedError, quoteIdentifier, quoteLiteral } from '@mart/shared';
import type { CastSql, ColumnSpec } from '@mart/stage-02-csv-loads/given';

/**
 * Exercise: Typed casting that keeps the reason.
 *
 * Staging tables hold every value as text, exactly as the file had it. Typing is where
 * bad values show up, and a loader that silently turns "abc" into NULL has lost data.
 * Return two SQL expressions for one staged column (see CastSql), like a dbt macro
 * that writes SQL for you:
 *
 * - `value`: the trimmed text typed with `try_cast` (NULL instead of an error); for
 *   'text' just the trimmed text, with '' as NULL. Types: integer → integer (digits
 *   only: try_cast('2.5' as integer) rounds to 3), decimal → decimal(10, 2), date → date.
 * - `problem`: NULL when the value is fine, else a reason that starts with the column
 *   name and quotes the value, e.g.
 *     `quantity: missing`                          (required and empty)
 *     `quantity: 'abc' is not a whole number`      (integer)
 *     `unit_price: 'ten' is not a number`          (decimal)
 *     `sale_date: '2024-02-30' is not a date (YYYY-MM-DD)`
 *     `quantity: '0' must be more than 0`          (rule 'positive')
 *     `unit_price: '-1.50' must not be negative`   (rule 'not-negative')
 *   An empty optional value is fine (it loads as NULL).
 *
 * The column name comes from a file: quoteIdentifier where it names the column,
 * quoteLiteral where it is part of a message.
 *
 * @example
 * castColumn({ name: 'quantity', type: 'integer', required: true, rule: 'positive' }).value
 * // → case when regexp_full_match(trim("quantity"), '[+-]?[0-9]+') then try_cast(trim("quantity") as integer) end
 */
export function castColumn(column: ColumnSpec): CastSql {
  throw new NotImplementedError('02-csv-loads/cast-column');
}
