import { type Database, quoteIdentifier } from '@mart/shared';
import type { Reference, RowReject } from '@mart/stage-02-csv-loads/given';

/**
 * Exercise: Orphans: facts pointing at nothing.
 *
 * A sale for customer 'C999' when dim_customer has no 'C999' cannot be loaded: its
 * customer_key would be missing, and revenue by customer would quietly stop adding up.
 * Find the rows of `reference.table` (only those without a problem so far:
 * `_problem is null`) whose `reference.column` has no match in
 * `reference.dimension`.`reference.dimensionColumn`.
 *
 * Return one reject per such row, ordered by line, e.g.
 * `unknown customer_id 'C999': not in dim_customer`. An anti-join (`not exists`, or a
 * left join keeping the rows where the dimension side is NULL) is the tool.
 * Quote every name with quoteIdentifier.
 *
 * @example
 * await findOrphans(db, { table: 'typed_sales', column: 'store_id', dimension: 'dim_store', dimensionColumn: 'store_id' })
 */
export async function findOrphans(db: Database, reference: Reference): Promise<RowReject[]> {
  // #region solution
  const table = quoteIdentifier(reference.table);
  const column = quoteIdentifier(reference.column);
  const dimension = quoteIdentifier(reference.dimension);
  const dimensionColumn = quoteIdentifier(reference.dimensionColumn);
  return db.all<RowReject>(
    `select t._line as line,
            'unknown ' || $1 || ' ''' || t.${column} || ''': not in ' || $2 as reason
       from ${table} t
      where t._problem is null
        and not exists (select 1 from ${dimension} d where d.${dimensionColumn} = t.${column})
      order by t._line`,
    [reference.column, reference.dimension],
  );
  // #endregion
}
