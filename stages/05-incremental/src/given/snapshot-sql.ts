import { quoteIdentifier } from '@mart/shared';

/** The columns dbt adds to every snapshot row, in this order. */
export const snapshotMetaColumns = ['dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'] as const;

/**
 * dbt's `dbt_scd_id`: an md5 over the key columns and the version's time, so one
 * entity's versions get different ids and the same version always the same id.
 * `columns` are plain names qualified with `alias` when given.
 *
 * @example
 * scdIdSql(['customer_id'], "TIMESTAMP '2024-03-05 00:00:00'", 's')
 * // → md5(coalesce(cast(s."customer_id" as varchar), '') || '|' || coalesce(cast(TIMESTAMP '2024-03-05 00:00:00' as varchar), ''))
 */
export function scdIdSql(columns: readonly string[], updatedAt: string, alias?: string): string {
  const parts = [
    ...columns.map((column) => (alias ? `${alias}.${quoteIdentifier(column)}` : quoteIdentifier(column))),
    updatedAt,
  ];
  return `md5(${parts.map((part) => `coalesce(cast(${part} as varchar), '')`).join(" || '|' || ")})`;
}

/**
 * A JavaScript time as a DuckDB timestamp literal (UTC, no time zone), for the few
 * places the SQL needs "now" written out: a Date can never carry SQL text.
 *
 * @example
 * timestampLiteral(new Date('2024-03-05T00:00:00Z')) // → TIMESTAMP '2024-03-05 00:00:00.000'
 */
export function timestampLiteral(time: Date): string {
  if (Number.isNaN(time.getTime())) throw new Error('timestampLiteral: not a valid time.');
  return `TIMESTAMP '${time.toISOString().replace('T', ' ').replace('Z', '')}'`;
}
