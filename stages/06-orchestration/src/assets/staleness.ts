import type { AssetKey } from '../given/types.ts';
import type { AssetGraph } from './asset-graph.ts';
import type { AssetDefinition } from './define-asset.ts';

/** One recorded materialization (or, for an external asset, observation) of an asset. */
export interface MaterializationRecord {
  key: AssetKey;
  /** When it finished, ISO time or epoch milliseconds. */
  time: string | number;
  /** The asset's code version when it was built (undefined when it had none). */
  codeVersion?: string | undefined;
  /**
   * The step found nothing new (an ingest of files already landed): the asset is
   * materialized, but its data did not change, so its children do not become stale.
   */
  unchanged?: boolean | undefined;
}

/** Why an asset is stale, in Dagster's words. */
export type StaleCause =
  | { kind: 'code'; reason: 'has a new code version'; recorded: string | undefined; current: string }
  | { kind: 'data'; reason: 'has a new dependency materialization'; dependency: AssetKey };

/** An asset's state: never built (missing), out of date (stale, with the causes) or up to date (fresh). */
export type AssetStaleness = { status: 'missing' } | { status: 'stale'; causes: StaleCause[] } | { status: 'fresh' };

/**
 * Which assets are out of date, from the graph and their last materializations: an
 * asset is stale when a dependency was materialized after it ("has a new dependency
 * materialization"), or when its code version changed since it was built ("has a new
 * code version"). An asset never materialized is missing; an external asset (no
 * materialize) is never stale or missing. Staleness is not transitive: a child becomes
 * stale only once its parent is actually rebuilt (Dagster's "Unsynced"). Pure: same
 * records, same answer.
 *
 * @example
 * staleness(graph, [
 *   { key: 'dbt/stg_sales', time: '2024-03-02T10:00:00Z', codeVersion: 'a1' },
 *   { key: 'dbt/fct_sales', time: '2024-03-01T10:00:00Z', codeVersion: 'b1' },
 * ]).get('dbt/fct_sales')
 * // → { status: 'stale', causes: [{ kind: 'data', reason: 'has a new dependency materialization', dependency: 'dbt/stg_sales' }] }
 */
export function staleness(
  graph: AssetGraph<AssetDefinition>,
  materializations: readonly MaterializationRecord[],
): Map<AssetKey, AssetStaleness> {
  const latest = new Map<AssetKey, { time: number; codeVersion: string | undefined }>();
  // When each asset's data last changed: what makes its children stale.
  const changed = new Map<AssetKey, number>();
  for (const record of materializations) {
    const time = typeof record.time === 'number' ? record.time : Date.parse(record.time);
    if (Number.isNaN(time)) throw new Error(`staleness: "${record.time}" (for ${record.key}) is not a time.`);
    const seen = latest.get(record.key);
    if (!seen || time >= seen.time) latest.set(record.key, { time, codeVersion: record.codeVersion });
    if (!record.unchanged && time > (changed.get(record.key) ?? Number.NEGATIVE_INFINITY))
      changed.set(record.key, time);
  }
  const result = new Map<AssetKey, AssetStaleness>();
  for (const asset of graph.assets()) {
    const own = latest.get(asset.key);
    if (!asset.materialize) {
      result.set(asset.key, { status: 'fresh' });
      continue;
    }
    if (!own) {
      result.set(asset.key, { status: 'missing' });
      continue;
    }
    const causes: StaleCause[] = [];
    if (asset.codeVersion !== undefined && asset.codeVersion !== own.codeVersion) {
      causes.push({
        kind: 'code',
        reason: 'has a new code version',
        recorded: own.codeVersion,
        current: asset.codeVersion,
      });
    }
    for (const dep of graph.parents(asset.key)) {
      const parentChanged = changed.get(dep);
      if (parentChanged !== undefined && parentChanged > own.time) {
        causes.push({ kind: 'data', reason: 'has a new dependency materialization', dependency: dep });
      }
    }
    result.set(asset.key, causes.length > 0 ? { status: 'stale', causes } : { status: 'fresh' });
  }
  return result;
}
