import { type Database, NotImplementedError, quoteIdentifier } from '@mart/shared';
import type { RowReject } from '@mart/stage-02-csv-loads/given';

/**
 * Exercise: Find duplicate keys (first valid copy wins).
 *
 * A key (customer_id, or sale_id + line_number for a sale line) must identify one row.
 * When a file repeats a key, the loader keeps the copy on the lowest line and rejects
 * every later one: the rule dbt users write as `row_number() over (partition by key
 * order by …) = 1`. Only rows without a problem so far count (`_problem is null`): a
 * broken first copy must not push out a good second one.
 *
 * `table` has a `_line` column (line in the file) and a `_problem` column. Return one
 * reject per losing row, ordered by line, with a reason naming the key and the line
 * that won, e.g. `duplicate customer_id 'C000001': line 4 has it first`, or for two key
 * columns `duplicate sale_id, line_number 'T00000001', '2': line 9 has it first`.
 * Quote table and column names with quoteIdentifier.
 *
 * API (`db` is a Database from @mart/shared):
 * - `db.all<T>(sql, params?)` runs a query and returns its rows as plain objects:
 *   numbers (DECIMAL too, and BIGINT such as count(*) when it fits in a number, else a
 *   string), DATE as 'YYYY-MM-DD' text, booleans and null;
 * - `db.value<T>(sql, params?)` returns the first column of the first row;
 * - `db.run(sql, params?)` runs a statement for its effect.
 * Values are bound, never pasted into the SQL: `$1, $2 …` with an array, or `$name` with
 * an object. Names are quoted: `quoteIdentifier('typed "odd" sales')` → "typed ""odd"" sales".
 *
 *   await db.all<{ line: number }>('select _line as line from typed_stores where region = $1', ['North'])
 *   await db.value<number>(`select count(*) from ${quoteIdentifier(table)} where _problem is null`)
 *
 * Tables:
 *   typed_<file>  what the loader made of a file so far, one row per record:
 *                 _line integer (the record's line in the file; the header is line 1),
 *                 the file's columns typed, _problem varchar (NULL while the row is fine,
 *                 else why it will be rejected), _rule varchar. For example
 *     typed_customers  _line, customer_id varchar, name varchar, email varchar,
 *                      city varchar, country varchar, segment varchar, signup_date date,
 *                      _problem, _rule
 *     typed_sales      _line, sale_id varchar, line_number integer, sale_date date,
 *                      customer_id varchar, product_id varchar, store_id varchar,
 *                      quantity integer, unit_price decimal(10,2), _problem, _rule
 *   (typed_products: product_id, name, category, brand varchar, list_price decimal(10,2);
 *    typed_stores: store_id, name, city, region, channel varchar, opened_date date)
 * The rows are not stored in line order.
 *
 * Careful with names: `_line` is the line in the file; `line_number` (typed_sales) is part
 * of the sale's key. A key column may be an integer: `||` turns it into text for the reason.
 *
 * @example
 * await findDuplicates(db, 'typed_customers', ['customer_id']) // → [{ line: 7, reason: "duplicate customer_id 'C1': line 3 has it first" }]
 */
export async function findDuplicates(db: Database, table: string, key: readonly string[]): Promise<RowReject[]> {
  throw new NotImplementedError('02-csv-loads/find-duplicates');
}
