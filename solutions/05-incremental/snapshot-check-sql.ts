import { quoteIdentifier } from '@mart/shared';
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
  // #region solution
  const { snapshot, source, now } = options;
  const sameKey = (a: string, b: string) =>
    options.uniqueKey.map((key) => `${a}.${quoteIdentifier(key)} = ${b}.${quoteIdentifier(key)}`).join(' and ');
  const changed = options.checkCols
    .map((column) => `s.${quoteIdentifier(column)} is distinct from t.${quoteIdentifier(column)}`)
    .join(' or ');
  const close = `update ${snapshot} as t set dbt_valid_to = ${now}
where t.dbt_valid_to is null
  and exists (select 1 from ${source} as s where ${sameKey('s', 't')} and (${changed || 'false'}))`;
  const insert = `insert into ${snapshot} (${[...options.columns, 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map(quoteIdentifier).join(', ')})
select ${options.columns.map((column) => `s.${quoteIdentifier(column)}`).join(', ')},
       ${scdIdSql(options.uniqueKey, now, 's')}, ${now}, ${now}, null
  from ${source} as s
 where not exists (select 1 from ${snapshot} as t where ${sameKey('t', 's')} and t.dbt_valid_to is null)`;
  return [close, insert];
  // #endregion
}
