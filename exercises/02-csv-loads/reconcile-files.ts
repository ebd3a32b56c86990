import { type Database, NotImplementedError, quoteIdentifier } from '@mart/shared';
import type { FileReconciliation } from '@mart/stage-02-csv-loads/given';

/**
 * Exercise: Reconcile every file.
 *
 * "Never lose a row" is a promise you can check: for each input file, the records read
 * must equal the rows loaded plus the rows rejected. Accountants call it reconciling.
 *
 * The loader records each file in `load_files (file, target_table, read)` and every
 * reject in `rejected_rows (file, line, record, rule, reason)`. Return one row per file,
 * ordered by file name: read, loaded (count(*) of its target_table),
 * rejected (its rows in rejected_rows) and balanced (read === loaded + rejected).
 *
 * The target table's name comes from data: quote it with quoteIdentifier; pass the file
 * name as a parameter ($1), never pasted into the SQL.
 *
 * @example
 * await reconcileFiles(db) // → [{ file: 'customers.csv', read: 64, loaded: 61, rejected: 3, balanced: true }, …]
 */
export async function reconcileFiles(db: Database): Promise<FileReconciliation[]> {
  throw new NotImplementedError('02-csv-loads/reconcile-files');
}
