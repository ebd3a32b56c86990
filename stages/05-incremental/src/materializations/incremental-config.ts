import type { BatchSize } from '../given/types.ts';
import type { ManifestNode } from '../manifest/types.ts';
import { NodeError } from '../run/node-error.ts';

/** The incremental strategies this runner (and dbt-duckdb) offers. */
export const incrementalStrategies = ['append', 'merge', 'delete+insert', 'microbatch'] as const;
export type IncrementalStrategy = (typeof incrementalStrategies)[number];

/** dbt's `on_schema_change` values. */
export const schemaChangeModes = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] as const;
export type SchemaChangeMode = (typeof schemaChangeModes)[number];

/** An incremental model's config, checked and normalized. */
export interface IncrementalConfig {
  strategy: IncrementalStrategy;
  /** `unique_key` as a list of column names (empty when not set). */
  uniqueKey: string[];
  /** `incremental_predicates` (or `predicates`), SQL written by the project. */
  predicates: string[];
  onSchemaChange: SchemaChangeMode;
  /**
   * Our extension (dbt ignores unknown configs): `allow_duplicate_keys: true` lets a
   * delete+insert model use a partition as its key (`unique_key: sale_date`, many rows per
   * day). NULL keys are still refused; merge always needs unique keys.
   */
  allowDuplicateKeys: boolean;
  /** Problems that do not stop the run (dbt logs them and carries on). */
  warnings: string[];
}

/**
 * Reads an incremental model's config the way dbt-duckdb does: the default strategy is
 * delete+insert when a unique_key is set and append when not; an invalid
 * on_schema_change is reported and treated as `ignore`.
 */
export function incrementalConfig(node: ManifestNode): IncrementalConfig {
  const config = node.config;
  const warnings: string[] = [];
  const uniqueKey = keyList(config.unique_key);
  const written = config.incremental_strategy;
  let strategy: IncrementalStrategy;
  if (written === null || written === undefined || written === '') {
    strategy = uniqueKey.length > 0 ? 'delete+insert' : 'append';
  } else if ((incrementalStrategies as readonly string[]).includes(String(written))) {
    strategy = written as IncrementalStrategy;
  } else {
    throw new NodeError(
      'Compilation',
      `Invalid incremental strategy provided: ${String(written)}\n  Expected one of: ${incrementalStrategies.map((s) => `'${s}'`).join(', ')}`,
    );
  }
  const mode = config.on_schema_change ?? 'ignore';
  let onSchemaChange: SchemaChangeMode = 'ignore';
  if ((schemaChangeModes as readonly string[]).includes(String(mode))) onSchemaChange = mode as SchemaChangeMode;
  else
    warnings.push(`Invalid value for on_schema_change (${String(mode)}) specified. Setting default value of ignore.`);
  const rawPredicates = config.incremental_predicates ?? (config.predicates as unknown);
  const predicates = Array.isArray(rawPredicates)
    ? rawPredicates.map(String).filter((p) => p.trim() !== '')
    : typeof rawPredicates === 'string' && rawPredicates.trim() !== ''
      ? [rawPredicates]
      : [];
  return {
    strategy,
    uniqueKey,
    predicates,
    onSchemaChange,
    allowDuplicateKeys: config.allow_duplicate_keys === true,
    warnings,
  };
}

/** `unique_key: id` or `unique_key: [a, b]` as a list. */
export function keyList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((key) => String(key).trim()).filter((key) => key !== '');
}

/** A microbatch model's settings (dbt's required configs checked, with dbt's messages). */
export interface MicrobatchConfig {
  eventTime: string;
  batchSize: BatchSize;
  begin: string;
  lookback: number;
}

const batchSizes: readonly BatchSize[] = ['hour', 'day', 'month', 'year'];

export function microbatchConfig(node: ManifestNode): MicrobatchConfig {
  const { event_time, batch_size, begin, lookback } = node.config;
  if (typeof event_time !== 'string' || event_time.trim() === '') {
    throw new NodeError('Compilation', `Microbatch model '${node.name}' requires an 'event_time' configuration.`, {
      hint: 'Name the column holding each row’s event time, e.g. config(event_time="sold_at").',
    });
  }
  if (typeof batch_size !== 'string' || !(batchSizes as readonly string[]).includes(batch_size)) {
    throw new NodeError(
      'Compilation',
      `Microbatch model '${node.name}' does not have a 'batch_size' config (one of ['hour', 'day', 'month', 'year']) specified.`,
    );
  }
  if (begin === null || begin === undefined || String(begin).trim() === '') {
    throw new NodeError('Compilation', `Microbatch model '${node.name}' requires a 'begin' configuration.`);
  }
  const back = lookback ?? 1;
  if (!Number.isInteger(back) || back < 0) {
    throw new NodeError(
      'Compilation',
      `Microbatch model '${node.name}': lookback must be a whole number ≥ 0, not ${String(back)}.`,
    );
  }
  return { eventTime: event_time, batchSize: batch_size as BatchSize, begin: beginText(begin), lookback: back };
}

/** `begin` as YAML gives it: a string, or a Date when written unquoted (`begin: 2024-01-01`). */
function beginText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return String(value).trim();
}
