import { csvTables } from '@mart/stage-02-csv-loads';
import { describe, expect, test } from 'vitest';
// Stage 4 does not export these (yet): read its source to keep the asset layout honest.
import { goldMarts } from '../../04-lakehouse/src/gold/gold-marts.ts';
import { silverTables as stage4Silver } from '../../04-lakehouse/src/silver/build-silver.ts';
import { courseAssetGraph } from '../src/assets/course-assets.ts';
import { bronzeTables, goldTables, rawFiles, silverTables } from '../src/assets/course-layout.ts';
import { readDbtManifest } from '../src/assets/dbt-manifest.ts';
import { defineAsset } from '../src/assets/define-asset.ts';

const manifest = readDbtManifest(new URL('./fixtures/stage-05-manifest.json', import.meta.url).pathname);

describe("the course layout matches the stages' code", () => {
  test('one raw asset per stage 2 input file, one bronze table per file plus rejects', () => {
    expect(rawFiles).toEqual(csvTables.map((table) => table.file.replace('.csv', '')));
    expect(Object.keys(bronzeTables).sort()).toEqual([...rawFiles, 'rejects'].sort());
  });

  test("silver and gold are stage 4's tables", () => {
    expect(Object.keys(silverTables).sort()).toEqual([...stage4Silver].sort());
    expect(Object.keys(goldTables).sort()).toEqual(Object.keys(goldMarts).sort());
  });

  test('each gold mart depends on exactly the silver tables its SQL reads', () => {
    for (const [name, sql] of Object.entries(goldMarts)) {
      const read = [...sql.matchAll(/\b(?:from|join)\s+([a-z_]+)/g)].map((match) => `silver/${match[1]}`);
      expect([...new Set(read)].sort(), name).toEqual([...(goldTables[name] ?? [])].sort());
    }
  });
});

describe('courseAssetGraph', () => {
  test("raw → bronze → silver → gold, and stage 5's nodes over the lake: one valid graph", () => {
    const { graph, unattachedTests } = courseAssetGraph({ manifest });
    expect(graph.keys()).toHaveLength(4 + 5 + 6 + 3 + 11);
    expect(graph.roots()).toEqual(['dbt/region_targets', 'raw/customers', 'raw/products', 'raw/sales', 'raw/stores']);
    expect(graph.ancestors('lake/gold/revenue_by_month')).toEqual([
      'lake/bronze/customers',
      'lake/bronze/products',
      'lake/bronze/sales',
      'lake/bronze/stores',
      'lake/silver/dim_customer',
      'lake/silver/dim_date',
      'lake/silver/dim_product',
      'lake/silver/dim_store',
      'lake/silver/fact_sales',
      'raw/customers',
      'raw/products',
      'raw/sales',
      'raw/stores',
    ]);
    // Every dbt source is one of stage 4's lake tables.
    expect(graph.children('lake/silver/dim_store')).toEqual([
      'dbt/stg_stores',
      'lake/gold/store_performance',
      'lake/silver/fact_sales',
    ]);
    expect(graph.get('raw/sales')).toMatchObject({ group: 'raw', kinds: ['csv'], materialize: undefined });
    expect(graph.get('lake/bronze/sales')).toMatchObject({ group: 'bronze', kinds: ['parquet', 's3'] });
    expect(graph.get('lake/silver/fact_sales')).toMatchObject({ group: 'silver', kinds: ['ducklake', 'duckdb'] });
    expect(unattachedTests).toHaveLength(2);
  });

  test('without a manifest it ends at gold; lake materializers and extra assets plug in', async () => {
    const { graph } = courseAssetGraph({
      materializeLake: (key) => (key.startsWith('lake/gold/') ? async () => ({ rows: 3 }) : undefined),
      extra: [defineAsset({ key: 'mine/report', deps: ['lake/gold/revenue_by_month'] })],
    });
    expect(graph.keys().some((key) => key.startsWith('dbt/'))).toBe(false);
    expect(await graph.get('lake/gold/revenue_by_month').materialize?.({} as never)).toEqual({ rows: 3 });
    expect(graph.get('lake/silver/fact_sales').materialize).toBeUndefined();
    expect(graph.children('lake/gold/revenue_by_month')).toEqual(['mine/report']);
  });
});
