import type { AssetKey } from '../given/types.ts';
import { bronzeTables, goldTables, rawFiles, silverTables } from './course-layout.ts';
import { type AssetDefinition, defineAsset, type MaterializeFn } from './define-asset.ts';

/** Options for the loaders of the earlier stages' assets. */
export interface StageAssetsOptions {
  /** How to build one asset, by key; without it the assets are external (made outside the orchestrator). */
  materialize?: (key: AssetKey) => MaterializeFn | undefined;
  /** Who answers for them. */
  owners?: readonly string[];
}

/**
 * Stage 2's input files, one asset each (`raw/sales`, group `raw`, kind `csv`). They are
 * external assets: people (or `pnpm stage 5 generate`) put them there, the orchestrator
 * only reads them.
 *
 * @example
 * rawFileAssets().map((asset) => asset.key) // → ['raw/customers', 'raw/products', 'raw/stores', 'raw/sales']
 */
export function rawFileAssets(options: Omit<StageAssetsOptions, 'materialize'> = {}): AssetDefinition[] {
  return rawFiles.map((name) =>
    defineAsset({
      key: `raw/${name}`,
      group: 'raw',
      kinds: ['csv'],
      owners: options.owners ?? [],
      description: `The ${name}.csv file stage 2 loads (data/seeds/stage-02/ by default).`,
      metadata: { file: `${name}.csv` },
    }),
  );
}

/**
 * Stage 4's lake: the bronze tables (`lake/bronze/sales`: Parquet files landed in the
 * bucket, kinds `parquet` + `s3`), and the silver and gold lake tables
 * (`lake/silver/fact_sales`, `lake/gold/revenue_by_month`: DuckLake tables computed with
 * DuckDB, kinds `ducklake` + `duckdb`), each depending on what it is built from.
 *
 * @example
 * lakeAssets().find((asset) => asset.key === 'lake/gold/revenue_by_month')?.deps
 * // → ['lake/silver/fact_sales', 'lake/silver/dim_date']
 */
export function lakeAssets(options: StageAssetsOptions = {}): AssetDefinition[] {
  const define = (
    layer: 'bronze' | 'silver' | 'gold',
    name: string,
    deps: readonly string[],
    kinds: string[],
    description: string,
  ) => {
    const key = `lake/${layer}/${name}`;
    const materialize = options.materialize?.(key);
    return defineAsset({
      key,
      deps,
      group: layer,
      kinds,
      owners: options.owners ?? [],
      description,
      metadata: { table: `${layer}.${name}` },
      ...(materialize ? { materialize } : {}),
    });
  };
  return [
    ...Object.entries(bronzeTables).map(([name, files]) =>
      define(
        'bronze',
        name,
        files.map((file) => `raw/${file}`),
        ['parquet', 's3'],
        `Bronze ${name}: the records stage 4's ingest landed as Parquet, every ingest kept.`,
      ),
    ),
    ...Object.entries(silverTables).map(([name, deps]) =>
      define(
        'silver',
        name,
        deps.map((dep) => `lake/${dep}`),
        ['ducklake', 'duckdb'],
        `Silver ${name}: the conformed star schema's table, one version of each record.`,
      ),
    ),
    ...Object.entries(goldTables).map(([name, deps]) =>
      define(
        'gold',
        name,
        deps.map((dep) => `lake/${dep}`),
        ['ducklake', 'duckdb'],
        `Gold ${name}: a mart computed from silver.`,
      ),
    ),
  ];
}
