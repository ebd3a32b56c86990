import type { AssetKey } from '../given/types.ts';
import { AssetGraph } from './asset-graph.ts';
import { type DbtAssetsOptions, dbtAssets, type UnattachedTest } from './dbt-assets.ts';
import type { DbtManifest } from './dbt-manifest.ts';
import type { AssetDefinition, MaterializeFn } from './define-asset.ts';
import { lakeAssets, rawFileAssets } from './lake-assets.ts';

/** Options for {@link courseAssetGraph}. */
export interface CourseAssetGraphOptions {
  /** Stage 5's manifest.json (see readDbtManifest); without it the graph ends at stage 4's gold. */
  manifest?: DbtManifest;
  /** How to build stage 4's bronze, silver and gold assets, by key; without it they are external. */
  materializeLake?: (key: AssetKey) => MaterializeFn | undefined;
  /** The dbt loader's options (how to build a node, partitions). */
  dbt?: Omit<DbtAssetsOptions, 'keyPrefix'>;
  /** More assets (defined with defineAsset), e.g. a learner's own. */
  extra?: readonly AssetDefinition[];
}

/** The course's asset graph, and the dbt tests that became no check. */
export interface CourseAssets {
  graph: AssetGraph<AssetDefinition>;
  unattachedTests: UnattachedTest[];
}

/**
 * The course's pipeline as one asset graph, built from the stages' definitions without
 * running anything: stage 2's raw files → stage 4's bronze → silver → gold, and stage 5's
 * dbt nodes (their sources are stage 4's bronze and silver tables).
 *
 * @example
 * const { graph } = courseAssetGraph({ manifest: readDbtManifest(manifestPath) });
 * graph.ancestors('dbt/daily_revenue') // → ['dbt/fct_sales', 'dbt/stg_products', …, 'raw/sales', …]
 */
export function courseAssetGraph(options: CourseAssetGraphOptions = {}): CourseAssets {
  const dbt = options.manifest ? dbtAssets(options.manifest, options.dbt) : { assets: [], unattachedTests: [] };
  const assets = [
    ...rawFileAssets(),
    ...lakeAssets(options.materializeLake ? { materialize: options.materializeLake } : {}),
    ...dbt.assets,
    ...(options.extra ?? []),
  ];
  return { graph: new AssetGraph(assets), unattachedTests: dbt.unattachedTests };
}
