import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from '@mart/shared';
import { describe, expect, test } from 'vitest';
import { dbtAssets } from '../src/assets/dbt-assets.ts';
import { parseDbtManifest, readDbtManifest } from '../src/assets/dbt-manifest.ts';

// A manifest.json v12 of stage 5's project (test/fixtures/README.md says how it was made).
const fixture = new URL('./fixtures/stage-05-manifest.json', import.meta.url);
const manifest = readDbtManifest(fixture.pathname);
const json = () => JSON.parse(readFileSync(fixture, 'utf8'));
const byKey = (result: ReturnType<typeof dbtAssets>) => new Map(result.assets.map((asset) => [asset.key, asset]));

describe("dbtAssets from stage 5's manifest.json", () => {
  const loaded = dbtAssets(manifest);
  const assets = byKey(loaded);

  test('one asset per model, seed and snapshot; the ephemeral model is none', () => {
    expect([...assets.keys()]).toEqual([
      'dbt/customers_snapshot',
      'dbt/daily_revenue',
      'dbt/dim_date',
      'dbt/fct_sales',
      'dbt/monthly_revenue_by_region',
      'dbt/region_targets',
      'dbt/revenue_by_segment',
      'dbt/stg_customers',
      'dbt/stg_products',
      'dbt/stg_sales',
      'dbt/stg_stores',
    ]);
  });

  test("deps: sources are stage 4's lake tables, an ephemeral model is seen through", () => {
    expect(assets.get('dbt/stg_sales')?.deps).toEqual(['lake/bronze/sales']);
    expect(assets.get('dbt/stg_products')?.deps).toEqual(['lake/silver/dim_product']);
    // fct_sales refs int_sales_enriched (ephemeral), which reads the three staging models.
    expect([...(assets.get('dbt/fct_sales')?.deps ?? [])].sort()).toEqual([
      'dbt/stg_products',
      'dbt/stg_sales',
      'dbt/stg_stores',
    ]);
    expect([...(assets.get('dbt/monthly_revenue_by_region')?.deps ?? [])].sort()).toEqual([
      'dbt/fct_sales',
      'dbt/region_targets',
    ]);
    expect(assets.get('dbt/region_targets')?.deps).toEqual([]);
  });

  test('group from the folder; kinds dbt + adapter + materialization; dbt tags as tags without a value', () => {
    const stg = assets.get('dbt/stg_sales');
    expect(stg).toMatchObject({ group: 'staging', kinds: ['dbt', 'duckdb', 'incremental'], tags: { staging: '' } });
    expect(assets.get('dbt/revenue_by_segment')).toMatchObject({
      group: 'marts',
      kinds: ['dbt', 'duckdb', 'table'],
      tags: { marts: '' },
    });
    expect(assets.get('dbt/region_targets')).toMatchObject({
      group: 'seeds',
      kinds: ['dbt', 'duckdb', 'seed'],
      tags: {},
    });
    expect(assets.get('dbt/customers_snapshot')).toMatchObject({
      group: 'snapshots',
      kinds: ['dbt', 'duckdb', 'snapshot'],
    });
  });

  test("code version = the node's checksum; description and metadata from the node", () => {
    const node = manifest.nodes['model.mart.stg_sales'];
    expect(assets.get('dbt/stg_sales')?.codeVersion).toBe(node?.checksum.checksum);
    expect(assets.get('dbt/stg_sales')?.codeVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(assets.get('dbt/fct_sales')?.description).toMatch(/^One row per sale line/);
    expect(assets.get('dbt/dim_date')?.description).toBe('dbt model dim_date');
    expect(assets.get('dbt/fct_sales')?.metadata).toEqual({
      dbt_unique_id: 'model.mart.fct_sales',
      materialization: 'incremental',
      file: 'models/marts/fct_sales.sql',
      relation: '"stage-05"."main"."fct_sales"',
    });
  });

  test('tests are checks of the node they test, blocking when their severity is error', () => {
    const checks = assets.get('dbt/fct_sales')?.checks ?? [];
    expect(checks.map((check) => [check.name, check.blocking])).toEqual([
      ['accepted_values_fct_sales_region__North__South__East__West__Online', false],
      ['not_null_fct_sales_sale_id', true],
      ['relationships_fct_sales_store_id__store_id__ref_stg_stores_', true],
    ]);
    // The relationships test also reads stg_stores.
    expect(checks[2]?.additionalDeps).toEqual(['dbt/stg_stores']);
    expect(checks[1]?.metadata).toEqual({
      dbt_unique_id: 'test.mart.not_null_fct_sales_sale_id.dc75c72243',
      severity: 'error',
    });
    expect(assets.get('dbt/region_targets')?.checks.map((check) => check.name)).toEqual([
      'not_null_region_targets_region',
      'unique_region_targets_region',
    ]);
  });

  test('singular tests over several models are reported, not attached', () => {
    expect(loaded.unattachedTests.map((test) => test.uniqueId)).toEqual([
      'test.mart.assert_daily_revenue_matches_sales',
      'test.mart.assert_no_sales_before_signup',
    ]);
    expect(loaded.unattachedTests[0]?.reason).toMatch(/reads 2 models .*meta: \{dagster: \{ref/);
  });

  test('a microbatch model with daily batches gets daily partitions from its begin', () => {
    expect(assets.get('dbt/daily_revenue')?.partitions).toEqual({
      type: 'daily',
      start: '2024-01-01',
      end: undefined,
      endOffset: 0,
      timezone: 'UTC',
    });
    expect(assets.get('dbt/fct_sales')?.partitions).toBeUndefined();
  });

  test('external unless a materialize factory is given', async () => {
    expect(assets.get('dbt/stg_sales')?.materialize).toBeUndefined();
    const built: string[] = [];
    const wired = byKey(
      dbtAssets(manifest, {
        materialize: (node) => async () => {
          built.push(node.unique_id);
          return { rows: 1 };
        },
      }),
    );
    await wired.get('dbt/stg_sales')?.materialize?.({} as never);
    expect(built).toEqual(['model.mart.stg_sales']);
  });
});

describe("dbtAssets: dagster-dbt's meta.dagster settings and options", () => {
  test('meta.dagster.asset_key, group and owners; meta.dagster.ref attaches a singular test', () => {
    const changed = json();
    changed.nodes['model.mart.fct_sales'].config.meta = {
      dagster: { asset_key: ['marts', 'fact_sales'], group: 'finance', owners: ['team:finance'] },
    };
    changed.nodes['test.mart.assert_no_sales_before_signup'].config.meta = { dagster: { ref: { name: 'fct_sales' } } };
    const assets = byKey(dbtAssets(parseDbtManifest(changed)));
    expect(assets.get('marts/fact_sales')).toMatchObject({ group: 'finance', owners: ['team:finance'] });
    expect(assets.get('dbt/daily_revenue')?.deps).toEqual(['marts/fact_sales']);
    const check = assets.get('marts/fact_sales')?.checks.find((spec) => spec.name === 'assert_no_sales_before_signup');
    expect(check).toMatchObject({ blocking: true, additionalDeps: ['dbt/stg_customers'] });
  });

  test('keyPrefix, sourceKey and partitions can be changed; disabled nodes are left out', () => {
    const changed = json();
    changed.nodes['model.mart.dim_date'].config.enabled = false;
    const assets = byKey(
      dbtAssets(parseDbtManifest(changed), {
        keyPrefix: 'models',
        sourceKey: (source) => `src/${source.source_name}_${source.name}`,
        partitions: () => undefined,
      }),
    );
    expect(assets.get('models/stg_sales')?.deps).toEqual(['src/bronze_sales']);
    expect(assets.has('models/dim_date')).toBe(false);
    expect(assets.get('models/daily_revenue')?.partitions).toBeUndefined();
  });

  test('a test of a source is reported as unattached', () => {
    const changed = json();
    changed.nodes['test.mart.source_not_null_bronze_sales_sale_id.0123456789'] = {
      ...changed.nodes['test.mart.not_null_stg_sales_sale_id.6b07c53929'],
      unique_id: 'test.mart.source_not_null_bronze_sales_sale_id.0123456789',
      name: 'source_not_null_bronze_sales_sale_id',
      attached_node: null,
      depends_on: { macros: [], nodes: ['source.mart.bronze.sales'] },
    };
    const { unattachedTests } = dbtAssets(parseDbtManifest(changed));
    expect(unattachedTests).toContainEqual({
      uniqueId: 'test.mart.source_not_null_bronze_sales_sale_id.0123456789',
      reason: 'it tests a source, not a model, seed or snapshot',
    });
  });
});

describe('reading manifest.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mart-manifest-'));

  test('a missing file, bad JSON and a file that is no manifest are CliErrors naming the file', () => {
    expect(() => readDbtManifest(join(dir, 'nope.json'), 'target/manifest.json')).toThrow(
      /Cannot read the dbt manifest target\/manifest.json/,
    );
    writeFileSync(join(dir, 'bad.json'), '{ "metadata": ');
    expect(() => readDbtManifest(join(dir, 'bad.json'), 'bad.json')).toThrow(/bad.json is not JSON/);
    const noVersion = json();
    noVersion.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/run-results/v6.json';
    expect(() => parseDbtManifest(noVersion, 'x.json')).toThrow(
      /x.json is not a dbt manifest .*metadata.dbt_schema_version/,
    );
    const noChecksum = json();
    delete noChecksum.nodes['model.mart.stg_sales'].checksum;
    let error: unknown;
    try {
      parseDbtManifest(noChecksum, 'x.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toContain('nodes.model.mart.stg_sales.checksum');
  });
});
