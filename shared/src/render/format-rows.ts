import type { Row } from '../duckdb/database.ts';
import { renderTable } from './table.ts';

/** The output formats every scriptable command offers. */
export const outputFormats = ['table', 'csv', 'json'] as const;

/** One of {@link outputFormats}. */
export type OutputFormat = (typeof outputFormats)[number];

/**
 * Rows as a terminal table, RFC 4180 CSV, or pretty JSON: what `--format` chooses.
 *
 * @example
 * formatRows([{ id: 1, name: 'Ada, Countess' }], 'csv') // → 'id,name\n1,"Ada, Countess"\n'
 */
export function formatRows(rows: Row[], format: OutputFormat, options: { color?: boolean } = {}): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') return toCsv(rows);
  return `${renderTable(rows, options)}\n`;
}

/**
 * RFC 4180 CSV: a header line, then one line per row; fields with a comma, quote or line
 * break are quoted and inner quotes doubled.
 *
 * @example
 * toCsv([{ a: 'x"y' }]) // → 'a\n"x""y"\n'
 */
export function toCsv(rows: Row[], columns: string[] = Object.keys(rows[0] ?? {})): string {
  const lines = [columns.map(csvField).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\n')}\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A count with its noun, singular for exactly one: `1 row`, `2 rows`, `0 rows`.
 *
 * @example
 * countOf(1, 'row') // → '1 row'
 * countOf(3, 'file') // → '3 files'
 * countOf(1_234, 'entry', 'entries') // → '1,234 entries'
 */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
