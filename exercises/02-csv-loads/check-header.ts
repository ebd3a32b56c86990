import { InputFileError, NotImplementedError } from '@mart/shared';

/**
 * Exercise: Check a CSV header.
 *
 * The header (line 1) is a contract: the loader needs every expected column, and a
 * file with surprises is better stopped than half-understood. Given the header's fields
 * as parsed, return the column names normalised (trimmed and lower case, so
 * `" Customer_ID "` is `customer_id`), in the file's order.
 *
 * Throw an `InputFileError(file, problem, { line: 1, column })` when:
 * - the header is one field holding `;`, a tab or `|`: the file uses another delimiter
 *   (say which one; we expect commas);
 * - a name is empty or appears twice (column = its 1-based position);
 * - a name is not expected (column = its position);
 * - an expected name is missing (no column; name every missing one).
 *
 * @example
 * checkHeader('stores.csv', [' Store_ID', 'name'], ['store_id', 'name']) // → ['store_id', 'name']
 */
export function checkHeader(file: string, header: readonly string[], expected: readonly string[]): string[] {
  throw new NotImplementedError('02-csv-loads/check-header');
}
