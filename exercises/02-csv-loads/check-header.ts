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
 * API: no database; `new InputFileError(file, problem, { line, column?, hint? })` from
 * @mart/shared builds the message for you ('stores.csv line 1, column 3: unexpected
 * column "colour"') and keeps `file`, `line` and `column` for the caller. A `hint` is
 * shown under the error: say what to do.
 *
 * The expected names per file (the columns of its staging table, all varchar):
 *   customers.csv  customer_id, name, email, city, country, segment, signup_date
 *   products.csv   product_id, name, category, brand, list_price
 *   stores.csv     store_id, name, city, region, channel, opened_date
 *   sales.csv      sale_id, line_number, sale_date, customer_id, product_id, store_id,
 *                  quantity, unit_price
 *
 * Careful with names: `column` in InputFileError is a 1-based position (3), never a
 * name; `line_number` in sales.csv is a column of the data (a line of a sale), not a
 * line of the file.
 *
 * @example
 * checkHeader('stores.csv', [' Store_ID', 'name'], ['store_id', 'name']) // → ['store_id', 'name']
 */
export function checkHeader(file: string, header: readonly string[], expected: readonly string[]): string[] {
  throw new NotImplementedError('02-csv-loads/check-header');
}
