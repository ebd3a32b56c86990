import { type Database, quoteIdentifier } from '@mart/shared';
import type { FileReconciliation } from '@mart/stage-02-csv-loads/given';

/**
 * Exercise: Reconcile every file.
 *
 * "Never lose a row" is a promise you can check: for each input file, the records read
 * must equal the rows loaded plus the rows rejected. Accountants call it reconciling.
 *
 * The loader records each file in `load_files` and every reject in `rejected_rows`.
 * Return one row per file, ordered by file name: read, loaded (count(*) of its
 * target_table), rejected (its rows in rejected_rows) and balanced
 * (read === loaded + rejected).
 *
 * The target table's name comes from data: quote it with quoteIdentifier; pass the file
 * name as a parameter ($1), never pasted into the SQL.
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
 *   load_files     one row per input file: file varchar ('sales.csv'),
 *                  target_table varchar ('fact_sales'), read integer (records read),
 *                  bytes bigint
 *   rejected_rows  one row per reject: file varchar, line integer (in the file),
 *                  rule varchar ('value', 'duplicate', 'orphan', 'structure'),
 *                  reason varchar, record varchar (the line as written)
 *   the targets    dim_customer, dim_product, dim_store, fact_sales: count their rows
 *
 * Careful with names: `read` is a column (the file's records), not the rows loaded; a
 * file's rejects are the rejected_rows whose `file` is its `file`.
 *
 * @example
 * await reconcileFiles(db) // → [{ file: 'customers.csv', read: 64, loaded: 61, rejected: 3, balanced: true }, …]
 */
export async function reconcileFiles(db: Database): Promise<FileReconciliation[]> {
  // #region solution
  const files = await db.all<{ file: string; target_table: string; read: number }>(
    'select file, target_table, read::int as read from load_files order by file',
  );
  const books: FileReconciliation[] = [];
  for (const { file, target_table, read } of files) {
    const loaded = await db.value<number>(`select count(*)::int from ${quoteIdentifier(target_table)}`);
    const rejected = await db.value<number>('select count(*)::int from rejected_rows where file = $1', [file]);
    books.push({ file, read, loaded, rejected, balanced: read === loaded + rejected });
  }
  return books;
  // #endregion
}
