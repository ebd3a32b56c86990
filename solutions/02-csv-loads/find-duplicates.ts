import { type Database, quoteIdentifier } from '@mart/shared';
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
 * @example
 * await findDuplicates(db, 'typed_customers', ['customer_id']) // → [{ line: 7, reason: "duplicate customer_id 'C1': line 3 has it first" }]
 */
export async function findDuplicates(db: Database, table: string, key: readonly string[]): Promise<RowReject[]> {
  // #region solution
  const keyList = key.map(quoteIdentifier).join(', ');
  const shownKey = key.map((column) => `'''' || ${quoteIdentifier(column)} || ''''`).join(` || ', ' || `);
  return db.all<RowReject>(
    `
    with ranked as (
      select _line,
             ${shownKey} as shown_key,
             first_value(_line) over (partition by ${keyList} order by _line) as first_line
        from ${quoteIdentifier(table)}
       where _problem is null
    )
    select _line as line,
           'duplicate ' || $1 || ' ' || shown_key || ': line ' || first_line || ' has it first' as reason
      from ranked
     where _line <> first_line
     order by _line`,
    [key.join(', ')],
  );
  // #endregion
}
