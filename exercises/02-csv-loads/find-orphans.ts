import { type Database, NotImplementedError, quoteIdentifier } from '@mart/shared';
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
 *   typed_sales   what the loader made of sales.csv so far, one row per record:
 *                 _line integer (the record's line in the file; the header is line 1),
 *                 sale_id varchar, line_number integer, sale_date date,
 *                 customer_id varchar, product_id varchar, store_id varchar,
 *                 quantity integer, unit_price decimal(10,2), _problem varchar (NULL
 *                 while the row is fine, else why it will be rejected), _rule varchar
 *   dim_customer  customer_key integer, customer_id varchar, name varchar, email varchar,
 *                 city varchar, country varchar, segment varchar, signup_date date
 *   dim_product   product_key integer, product_id varchar, name varchar,
 *                 category varchar, brand varchar, list_price decimal(10,2)
 *   dim_store     store_key integer, store_id varchar, name varchar, city varchar,
 *                 region varchar, channel varchar, opened_date date
 * The dimensions are already loaded when the loader asks; the rows are not stored in line order.
 *
 * Careful with names: match on the natural key the Reference names (typed_sales has
 * customer_id, not customer_key: the surrogate keys do not exist yet). The two sides
 * may be named differently, so give the tables aliases. `x not in (select …)` is never
 * true once the list holds a NULL.
 *
 * @example
 * await findOrphans(db, { table: 'typed_sales', column: 'store_id', dimension: 'dim_store', dimensionColumn: 'store_id' })
 */
export async function findOrphans(db: Database, reference: Reference): Promise<RowReject[]> {
  throw new NotImplementedError('02-csv-loads/find-orphans');
}
