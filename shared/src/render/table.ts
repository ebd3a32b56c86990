import Table from 'cli-table3';
import type { Row } from '../duckdb/database.ts';

/** Options for {@link renderTable}. */
export interface RenderTableOptions {
  /** Columns to show, in order; default: the keys of the first row. */
  columns?: string[];
  /** Digits after the decimal point for non-integer numbers; default 2. */
  decimals?: number;
  /** Colour the header (the command context's `color`); default false, plain text. */
  color?: boolean;
  /** No rule between body rows: long lists stay readable. Default false. */
  compact?: boolean;
}

/**
 * Renders rows as a boxed terminal table. Numbers are right-aligned with thousands
 * separators so columns of revenue line up.
 *
 * @example
 * renderTable([{ category: 'Books', revenue: 1234.5 }])
 * // ┌──────────┬──────────┐
 * // │ category │  revenue │ …
 */
export function renderTable(rows: Row[], options: RenderTableOptions = {}): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const decimals = options.decimals ?? 2;
  const color = options.color ?? false;
  const numeric = columns.map((column) => rows.length > 0 && rows.every((row) => isNumber(row[column])));
  const table = new Table({
    head: columns,
    colAligns: numeric.map((isNumeric) => (isNumeric ? 'right' : 'left')),
    style: { ...(color ? { head: ['cyan'] } : { head: [], border: [] }), compact: options.compact ?? false },
  });
  // A column with any fraction shows every number with the same decimals, so money
  // lines up: 27.00 beside 27.60, never 27 beside 27.60.
  const fractional = columns.map((column) =>
    rows.some((row) => typeof row[column] === 'number' && !Number.isInteger(row[column])),
  );
  for (const row of rows) {
    table.push(columns.map((column, i) => formatCell(row[column], decimals, fractional[i])));
  }
  return table.toString();
}

/**
 * One cell as text: integers as `1,234`, other numbers with fixed decimals (integers
 * too when `fixed`, for a column of money), null as blank.
 *
 * @example
 * formatCell(1234.5, 2) // → '1,234.50'
 * formatCell(27, 2, true) // → '27.00'
 */
export function formatCell(value: unknown, decimals = 2, fixed = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const digits = Number.isInteger(value) && !fixed ? 0 : decimals;
    return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  return String(value);
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number' || value === null;
}
