import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import {
  copyFolder,
  expectExit,
  queryWarehouse,
  readManifest,
  readRunResults,
  resultsByName,
} from './helpers/cli-warehouse.ts';

// "A small dbt project of your own making outside the stage folder runs with
// --project-dir unmodified": test/fixtures/own-project/ is such a project (three coffee
// shops' till exports, written for dbt-duckdb: profiles.yml, folder configs, seeds with
// inferred types and a column_types override, a source over the loaded exports, views,
// tables, an ephemeral and an incremental model, Jinja loops and macros with keyword
// arguments, the four schema tests, a custom generic test and a singular test). It is
// copied to a temporary folder and run as a learner would: `seed`, then `build`.
describe('a dbt project of our own, run with --project-dir', () => {
  const fixture = fileURLToPath(new URL('./fixtures/own-project', import.meta.url));
  const temp = tempDir('stage-05-own-project');
  const dir = join(temp.path, 'beanline');
  copyFolder(fixture, dir);
  const env = { MART_DATA_DIR: join(temp.path, 'course-data'), MART_S3_ENDPOINT: '' };
  const stage5 = (...args: string[]) => runCli(['stage', '5', ...args, '--project-dir', dir], env);
  const db = join(dir, 'dev.duckdb');
  const target = join(dir, 'target');
  afterAll(() => temp.remove());

  const columnTypes = async (schema: string, table: string) =>
    Object.fromEntries(
      (
        await queryWarehouse<{ name: string; type: string }>(
          db,
          `select column_name as name, data_type as type from information_schema.columns
            where table_schema = '${schema}' and table_name = '${table}' order by ordinal_position`,
        )
      ).map((column) => [column.name, column.type]),
    );

  test('seed loads the CSV files into main_raw with the types dbt infers, column_types winning', async () => {
    const run = stage5('seed');
    expectExit(run, 0);
    expect(run.stdout).not.toContain('Lake mounted');
    const results = readRunResults(target).results;
    expect(results.map((r) => [r.unique_id, r.status, r.adapter_response.rows_affected]).sort()).toEqual([
      ['seed.beanline.raw_order_lines', 'success', 17],
      ['seed.beanline.raw_orders', 'success', 10],
      ['seed.beanline.raw_products', 'success', 6],
      ['seed.beanline.raw_shops', 'success', 3],
    ]);
    expect(await columnTypes('main_raw', 'raw_shops')).toEqual({
      shop_id: 'INTEGER',
      shop_name: 'VARCHAR',
      city: 'VARCHAR',
      opened_on: 'DATE',
      has_seating: 'BOOLEAN',
      monthly_rent: 'DOUBLE',
    });
    expect(await columnTypes('main_raw', 'raw_orders')).toMatchObject({
      order_id: 'INTEGER',
      ordered_at: 'TIMESTAMP',
      loyalty_member: 'BOOLEAN',
    });
    // column_types from dbt_project.yml (raw_products) and from the seed's yml (raw_order_lines).
    expect(await columnTypes('main_raw', 'raw_products')).toMatchObject({ product_code: 'VARCHAR', price: 'DOUBLE' });
    expect(await columnTypes('main_raw', 'raw_order_lines')).toMatchObject({
      product_code: 'VARCHAR',
      quantity: 'INTEGER',
      unit_price: 'DECIMAL(6,2)',
    });
    expect(
      await queryWarehouse(db, 'select product_code, price, is_seasonal from main_raw.raw_products order by 1 limit 2'),
    ).toEqual([
      { product_code: '007', price: 2.4, is_seasonal: false },
      { product_code: '012', price: 3.6, is_seasonal: false },
    ]);
  });

  test('build: every model, seed and test OK or PASS, each where its folder config puts it', async () => {
    const run = stage5('build');
    expectExit(run, 0);
    expect(run.stdout).toMatch(/PASS=\d+ WARN=0 ERROR=0 SKIP=0/);
    const results = readRunResults(target);
    expect(results.results.filter((r) => !['success', 'pass'].includes(r.status))).toEqual([]);
    const relations = await queryWarehouse<{ relation: string; type: string }>(
      db,
      `select table_schema || '.' || table_name as relation, table_type as type from information_schema.tables
        where table_catalog = 'dev' and table_schema like 'main%' order by 1`,
    );
    expect(relations).toEqual([
      { relation: 'main_marts.dim_shops', type: 'BASE TABLE' },
      { relation: 'main_marts.fct_orders', type: 'BASE TABLE' },
      { relation: 'main_marts.product_mix', type: 'VIEW' },
      { relation: 'main_marts.shop_daily_sales', type: 'BASE TABLE' },
      { relation: 'main_raw.raw_order_lines', type: 'BASE TABLE' },
      { relation: 'main_raw.raw_orders', type: 'BASE TABLE' },
      { relation: 'main_raw.raw_products', type: 'BASE TABLE' },
      { relation: 'main_raw.raw_shops', type: 'BASE TABLE' },
      { relation: 'main_staging.stg_order_lines', type: 'VIEW' },
      { relation: 'main_staging.stg_orders', type: 'VIEW' },
      { relation: 'main_staging.stg_products', type: 'VIEW' },
      { relation: 'main_staging.stg_shops', type: 'VIEW' },
    ]);
    // Every test kind ran: the four schema tests, on a source too, the custom generic one, the singular one.
    const tests = results.results.filter((r) => r.unique_id.startsWith('test.')).map((r) => r.unique_id);
    for (const name of [
      /^test\.beanline\.unique_stg_shops_shop_id\./,
      /^test\.beanline\.not_null_stg_orders_order_id\./,
      /^test\.beanline\.accepted_values_stg_products_category__coffee__bakery__tea\./,
      /^test\.beanline\.accepted_values_stg_shops_shop_id__False__1__2__3\./,
      /^test\.beanline\.relationships_stg_orders_shop_id__shop_id__ref_stg_shops_\./,
      /^test\.beanline\.relationships_fct_orders_shop_id__shop_id__ref_dim_shops_\./,
      /^test\.beanline\.source_unique_pos_orders_order_id\./,
      /^test\.beanline\.not_negative_stg_order_lines_False__quantity\./,
      /^test\.beanline\.not_negative_shop_daily_sales_total_revenue\./,
      /^test\.beanline\.assert_order_totals_match_lines$/,
    ]) {
      expect(
        tests.filter((id) => name.test(id)),
        String(name),
      ).toHaveLength(1);
    }
  });

  test('the marts hold what the till exports add up to', async () => {
    // The loops: a revenue column per category (named through a dict), one count per channel.
    expect(Object.keys(await columnTypes('main_marts', 'shop_daily_sales'))).toEqual([
      'shop_id',
      'order_date',
      'coffee_revenue',
      'pastry_revenue',
      'tea_revenue',
      'total_revenue',
      'orders',
      'in_store_orders',
      'app_orders',
    ]);
    const daily = await queryWarehouse(
      db,
      `select shop_id, strftime(order_date, '%Y-%m-%d') as day, coffee_revenue::double as coffee,
              pastry_revenue::double as pastry, tea_revenue::double as tea, total_revenue::double as total,
              orders, in_store_orders, app_orders
         from main_marts.shop_daily_sales where order_date = date '2024-10-01' order by shop_id`,
    );
    expect(daily).toEqual([
      {
        shop_id: 1,
        day: '2024-10-01',
        coffee: 8.4,
        pastry: 2.95,
        tea: 0,
        total: 11.35,
        orders: 2,
        in_store_orders: 1,
        app_orders: 1,
      },
      {
        shop_id: 2,
        day: '2024-10-01',
        coffee: 4.9,
        pastry: 6.5,
        tea: 0,
        total: 11.4,
        orders: 1,
        in_store_orders: 1,
        app_orders: 0,
      },
      {
        shop_id: 3,
        day: '2024-10-01',
        coffee: 0,
        pastry: 5.9,
        tea: 2.8,
        total: 8.7,
        orders: 1,
        in_store_orders: 1,
        app_orders: 0,
      },
    ]);
    expect(
      await queryWarehouse(
        db,
        'select sum(total_revenue)::double as total, count(*)::int as days from main_marts.shop_daily_sales',
      ),
    ).toEqual([{ total: 79.5, days: 9 }]);
    // The incremental fact, with the macro called with a keyword argument from another macro.
    expect(
      await queryWarehouse(
        db,
        `select order_id, lines, items, order_total::double as total, order_total_incl_vat::double as incl_vat
           from main_marts.fct_orders where order_id in (1001, 1006) order by 1`,
      ),
    ).toEqual([
      { order_id: 1001, lines: 2, items: 3, total: 7.75, incl_vat: 8.45 },
      { order_id: 1006, lines: 3, items: 3, total: 8.45, incl_vat: 9.21 },
    ]);
    expect(
      await queryWarehouse(
        db,
        'select shop_id, orders, revenue_rounded::int as revenue from main_marts.dim_shops order by 1',
      ),
    ).toEqual([
      { shop_id: 1, orders: 4, revenue: 26 },
      { shop_id: 2, orders: 3, revenue: 26 },
      { shop_id: 3, orders: 3, revenue: 27 },
    ]);
    expect(
      await queryWarehouse(db, 'select category, items_sold::int as items from main_marts.product_mix order by 1'),
    ).toEqual([
      { category: 'bakery', items: 8 },
      { category: 'coffee', items: 13 },
      { category: 'tea', items: 4 },
    ]);
  });

  test('target/ holds dbt’s artifacts: manifest.json with every node, run_results.json, compiled SQL', () => {
    const manifest = readManifest(target);
    expect(manifest.metadata.project_name).toBe('beanline');
    expect(manifest.metadata.dbt_schema_version).toMatch(/manifest\/v12\.json$/);
    const nodes = manifest.nodes;
    for (const [id, node] of Object.entries(nodes)) expect(node.unique_id).toBe(id);
    const models = Object.keys(nodes)
      .filter((id) => id.startsWith('model.'))
      .sort();
    expect(models).toEqual([
      'model.beanline.dim_shops',
      'model.beanline.fct_orders',
      'model.beanline.int_order_lines_enriched',
      'model.beanline.product_mix',
      'model.beanline.shop_daily_sales',
      'model.beanline.stg_order_lines',
      'model.beanline.stg_orders',
      'model.beanline.stg_products',
      'model.beanline.stg_shops',
    ]);
    expect(
      Object.keys(nodes)
        .filter((id) => id.startsWith('seed.'))
        .sort(),
    ).toEqual([
      'seed.beanline.raw_order_lines',
      'seed.beanline.raw_orders',
      'seed.beanline.raw_products',
      'seed.beanline.raw_shops',
    ]);
    expect(nodes['model.beanline.stg_shops']).toMatchObject({
      fqn: ['beanline', 'staging', 'stg_shops'],
      schema: 'main_staging',
      database: 'dev',
      tags: ['staging'],
      config: { materialized: 'view' },
    });
    expect(nodes['model.beanline.int_order_lines_enriched']?.config.materialized).toBe('ephemeral');
    const fct = nodes['model.beanline.fct_orders'];
    expect(fct).toMatchObject({
      schema: 'main_marts',
      tags: ['marts'],
      config: { materialized: 'incremental', incremental_strategy: 'delete+insert', unique_key: 'order_id' },
    });
    expect(fct?.depends_on.nodes).toEqual(['model.beanline.int_order_lines_enriched']);
    expect(fct?.depends_on.macros).toEqual(expect.arrayContaining(['macro.beanline.money', 'macro.beanline.with_vat']));
    expect(nodes['model.beanline.product_mix']?.config.materialized).toBe('view');
    expect(nodes['seed.beanline.raw_products']?.config.column_types).toEqual({ product_code: 'varchar' });
    expect(manifest.sources['source.beanline.pos.orders']).toMatchObject({
      source_name: 'pos',
      name: 'orders',
      relation_name: '"dev"."main_raw"."raw_orders"',
    });
    expect(manifest.parent_map['model.beanline.stg_orders']).toEqual(['source.beanline.pos.orders']);
    expect(manifest.child_map['model.beanline.fct_orders']).toEqual(
      expect.arrayContaining(['model.beanline.dim_shops', 'test.beanline.assert_order_totals_match_lines']),
    );
    const custom = Object.values(nodes).find((node) => node.name === 'not_negative_stg_order_lines_False__quantity');
    expect(custom?.test_metadata).toMatchObject({ name: 'not_negative', kwargs: { allow_zero: false } });
    expect(Object.keys(manifest.macros)).toEqual(
      expect.arrayContaining(['macro.beanline.money', 'macro.beanline.with_vat', 'macro.beanline.test_not_negative']),
    );
    const compiled = readFileSync(
      join(target, 'compiled', 'beanline', 'models', 'marts', 'shop_daily_sales.sql'),
      'utf8',
    );
    expect(compiled).toContain('as pastry_revenue');
    expect(compiled).toContain('"dev"."main_staging"."stg_order_lines"');
    expect(compiled).not.toMatch(/\{[{%#]/);

    const results = readRunResults(target);
    expect(results.metadata.dbt_schema_version).toMatch(/run-results\/v6\.json$/);
    expect(results.args).toMatchObject({ which: 'build', project_dir: dir, target_path: target });
    const runnable = Object.values(nodes).filter((node) => node.config.materialized !== 'ephemeral');
    expect(results.results.map((r) => r.unique_id).sort()).toEqual(runnable.map((node) => node.unique_id).sort());
    expect(existsSync(join(target, 'run', 'beanline', 'models', 'marts', 'fct_orders.sql'))).toBe(true);
  });

  test('the next export: build again, and the incremental model takes only the new orders', async () => {
    appendFileSync(
      join(dir, 'seeds', 'raw_orders.csv'),
      '1011,2,2024-10-04 07:05:00,app,true\n1012,1,2024-10-04 08:40:10,in_store,false\n1013,3,2024-10-04 10:00:00,in_store,false\n',
    );
    appendFileSync(
      join(dir, 'seeds', 'raw_order_lines.csv'),
      '1011,1,012,2,3.60\n1012,1,007,1,2.40\n1012,2,104,1,2.95\n1013,1,205,3,2.80\n',
    );
    const run = stage5('build');
    expectExit(run, 0);
    const byName = resultsByName(readRunResults(target));
    expect(byName.get('raw_orders')?.adapter_response.rows_affected).toBe(13);
    expect(byName.get('fct_orders')?.adapter_response.rows_affected).toBe(3);
    expect(byName.get('assert_order_totals_match_lines')?.status).toBe('pass');
    expect(
      await queryWarehouse(
        db,
        'select count(*)::int as orders, sum(order_total)::double as revenue from main_marts.fct_orders',
      ),
    ).toEqual([{ orders: 13, revenue: 79.5 + 7.2 + 5.35 + 8.4 }]);
  });
});
