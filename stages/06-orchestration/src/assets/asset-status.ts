import type { AssetKey } from '../given/types.ts';
import type { RawFileObservation } from '../materializers/raw-files.ts';
import type { MaterializationRecord as StoredMaterialization } from '../storage/types.ts';
import type { AssetGraph } from './asset-graph.ts';
import type { AssetDefinition } from './define-asset.ts';
import { staleness } from './staleness.ts';

/** Where an asset stands, as `assets` and the web UI show it. */
export interface AssetStatus {
  status: 'fresh' | 'stale' | 'missing' | 'external';
  /** Why: a stale asset's causes, an external file's time or absence; empty otherwise. */
  detail: string;
}

/**
 * Every asset's status: staleness from each asset's last materialization and its last
 * one that changed data (RunStorage.latestMaterializations with and without
 * `changedData`: an ingest of files already landed makes nothing downstream stale), and
 * for an external raw file what its observation says.
 *
 * @example
 * assetStatuses({
 *   graph,
 *   materializations: [...storage.latestMaterializations().values(), ...storage.latestMaterializations({ changedData: true }).values()],
 *   rawFiles: observeRawFiles(inputDir),
 * });
 * // → Map { 'dbt/fct_sales' => { status: 'stale', detail: 'has a new dependency materialization (dbt/stg_sales)' }, … }
 */
export function assetStatuses(options: {
  graph: AssetGraph<AssetDefinition>;
  materializations: readonly StoredMaterialization[];
  rawFiles: readonly RawFileObservation[];
  shown?: (path: string) => string;
}): Map<AssetKey, AssetStatus> {
  const { graph } = options;
  const shown = options.shown ?? ((path: string) => path);
  const states = staleness(
    graph,
    options.materializations.map((record) => ({
      key: record.assetKey,
      time: record.time,
      codeVersion: record.codeVersion,
      unchanged: record.metadata.unchanged === true,
    })),
  );
  const raw = new Map(options.rawFiles.map((file) => [`raw/${file.name}`, file]));
  const result = new Map<AssetKey, AssetStatus>();
  for (const asset of graph.assets()) {
    const state = states.get(asset.key);
    if (!asset.materialize) {
      const file = raw.get(asset.key);
      const detail = !file
        ? ''
        : file.exists
          ? `file changed ${(file.modifiedAt ?? '').replace('T', ' ').slice(0, 19)}`
          : `${shown(file.path)} is missing`;
      result.set(asset.key, { status: 'external', detail });
    } else if (state?.status === 'stale') {
      const detail = state.causes
        .map((cause) => (cause.kind === 'code' ? cause.reason : `${cause.reason} (${cause.dependency})`))
        .join('; ');
      result.set(asset.key, { status: 'stale', detail });
    } else {
      result.set(asset.key, { status: state?.status ?? 'missing', detail: '' });
    }
  }
  return result;
}
