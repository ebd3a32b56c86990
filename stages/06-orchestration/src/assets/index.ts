// Software-defined assets: definitions, the graph, the loaders for the earlier stages, staleness.
export { AssetDefinitionError } from './asset-definition-error.ts';
export { AssetGraph } from './asset-graph.ts';
export { type CourseAssetGraphOptions, type CourseAssets, courseAssetGraph } from './course-assets.ts';
export { bronzeTables, goldTables, rawFiles, silverTables } from './course-layout.ts';
export {
  type DbtAssets,
  type DbtAssetsOptions,
  dbtAssets,
  defaultSourceKey,
  type UnattachedTest,
} from './dbt-assets.ts';
export { type DbtManifest, type DbtNode, type DbtSource, parseDbtManifest, readDbtManifest } from './dbt-manifest.ts';
export {
  type AssetCheckResult,
  type AssetCheckSpec,
  type AssetDefinition,
  type AssetLogger,
  type AssetOptions,
  defineAsset,
  isMaterializable,
  type MaterializationLineage,
  type MaterializeContext,
  type MaterializeFn,
  type MaterializeResult,
  type MetadataValue,
  type ReadTable,
  type RetryPolicy,
  type TableColumn,
  type TableSchemaMetadataValue,
} from './define-asset.ts';
export { lakeAssets, rawFileAssets, type StageAssetsOptions } from './lake-assets.ts';
export { type AssetStaleness, type MaterializationRecord, type StaleCause, staleness } from './staleness.ts';
