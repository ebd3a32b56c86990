import { NotImplementedError, quoteIdentifier } from '@mart/shared';
import { type SnapshotCheckOptions, scdIdSql } from '@mart/stage-05-incremental/given';

/**
 * Exercise: The SCD2 snapshot step, check strategy.
 *
 * A snapshot keeps history (a slowly changing dimension of type 2): when a customer
 * moves, the old row is not overwritten; it is closed (`dbt_valid_to` set) and a new
 * version is added (`dbt_valid_from` = now, `dbt_valid_to` NULL = current). The check
 * strategy decides "changed" by comparing `checkCols` of the current version with the
 * source, NULLs included (a value becoming NULL is a change).
 *
 * The snapshot table exists (the runner creates it on the first run). Return the
 * statements of one step, in order:
 * 1. close: `update <snapshot>` set `dbt_valid_to = <now>` for every CURRENT row
 *    (`dbt_valid_to is null`) whose key is in the source with a changed check column
 *    (look up `is distinct from`);
 * 2. insert a new current version for every source row whose key has no current row
 *    any more (new entities, and those just closed): its `columns`, then
 *    `dbt_scd_id` = scdIdSql(uniqueKey, now, alias), `dbt_updated_at` and
 *    `dbt_valid_from` = now, `dbt_valid_to` = NULL.
 * Unchanged entities get no statement's attention, so running the step twice on the
 * same source changes nothing. Quote every column with quoteIdentifier.
 *
 * @example
 * snapshotCheckSql({ snapshot: '"db"."snapshots"."customers_snapshot"', source: '"src"',
 *   uniqueKey: ['customer_id'], checkCols: ['city'], columns: ['customer_id', 'city'],
 *   now: "TIMESTAMP '2024-03-05 00:00:00'" }) // → [update …, insert …]
 */
export function snapshotCheckSql(options: SnapshotCheckOptions): string[] {
  throw new NotImplementedError('05-incremental/snapshot-check-sql');
}
