import { describe, expect, it } from 'vitest';
import { buildFixture } from './fixtures/projects/load-fixture.ts';

const { manifest } = buildFixture('jaffle');
const node = (id: string) => {
  const found = manifest.nodes.get(id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
};

describe('the manifest of the jaffle fixture', () => {
  it('finds every model, seed, snapshot and test with dbt unique ids', () => {
    const ids = [...manifest.nodes.keys()];
    expect(ids.filter((id) => id.startsWith('model.')).sort()).toEqual([
      'model.jaffle.customers',
      'model.jaffle.int_payment_totals',
      'model.jaffle.orders',
      'model.jaffle.page_views_daily',
      'model.jaffle.stg_customers',
      'model.jaffle.stg_orders',
      'model.jaffle.stg_payments',
    ]);
    expect(ids.filter((id) => id.startsWith('seed.')).sort()).toEqual([
      'seed.jaffle.raw_customers',
      'seed.jaffle.raw_orders',
      'seed.jaffle.raw_payments',
    ]);
    expect(ids.filter((id) => id.startsWith('snapshot.')).sort()).toEqual([
      'snapshot.jaffle.customers_snapshot',
      'snapshot.jaffle.orders_snapshot',
    ]);
    expect(ids).toContain('test.jaffle.assert_order_amount_positive');
  });

  it('names and hashes generic tests exactly as dbt (hashes verified against real jaffle_shop manifests)', () => {
    for (const id of [
      'test.jaffle.not_null_orders_order_id.cf6c17daed',
      'test.jaffle.unique_orders_order_id.fed79b3a6e',
      'test.jaffle.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2',
      'test.jaffle.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
    ]) {
      expect(manifest.nodes.has(id), id).toBe(true);
    }
    const long = node(
      'test.jaffle.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
    );
    expect(long.config.alias).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758');
    expect(long.relation.identifier).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758');
    expect(long.path).toBe('accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758.sql');
    expect(long.fqn).toEqual([
      'jaffle',
      'marts',
      'accepted_values_orders_status__placed__shipped__completed__return_pending__returned',
    ]);
    expect(long.originalFilePath).toBe('models/marts/schema.yml');
    expect(long.fileKeyName).toBe('models.orders');
    expect(long.attachedNode).toBe('model.jaffle.orders');
    expect(long.columnName).toBe('status');
    expect(long.checksum).toEqual({ name: 'none', checksum: '' });
    expect(long.testMetadata).toEqual({
      name: 'accepted_values',
      kwargs: {
        values: ['placed', 'shipped', 'completed', 'return_pending', 'returned'],
        column_name: 'status',
        model: "{{ get_where_subquery(ref('orders')) }}",
      },
      namespace: null,
    });
    expect(long.rawCode).toBe('{{ test_accepted_values(**_dbt_generic_test_kwargs) }}');
    expect(long.relation.schema).toBe('main_dbt_test__audit');
  });

  it('gives tests their parents: relationships depends on both models, source tests on the source', () => {
    const rel = node('test.jaffle.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2');
    expect(rel.refs.map((ref) => ref.name)).toEqual(['customers', 'orders']);
    expect(rel.dependsOn.nodes).toEqual(['model.jaffle.customers', 'model.jaffle.orders']);
    expect(rel.dependsOn.macros).toEqual(['macro.dbt.test_relationships', 'macro.dbt.get_where_subquery']);
    const sourceTest = node('test.jaffle.source_not_null_web_page_views_customer_id.8f3e9fed12');
    expect(sourceTest.attachedNode).toBeNull();
    expect(sourceTest.fileKeyName).toBe('sources.web');
    expect(sourceTest.dependsOn.nodes).toEqual(['source.jaffle.web.page_views']);
    expect(sourceTest.testMetadata?.kwargs.model).toBe("{{ get_where_subquery(source('web', 'page_views')) }}");
  });

  it('builds fqn, path and relation as dbt does', () => {
    const stg = node('model.jaffle.stg_orders');
    expect(stg.fqn).toEqual(['jaffle', 'staging', 'stg_orders']);
    expect(stg.path).toBe('staging/stg_orders.sql');
    expect(stg.originalFilePath).toBe('models/staging/stg_orders.sql');
    // +schema: staging → generate_schema_name → <target.schema>_staging
    expect(stg.relation).toEqual({ database: 'stage-05', schema: 'main_staging', identifier: 'stg_orders' });
    expect(node('seed.jaffle.raw_orders').relation.schema).toBe('main_raw');
    // SQL snapshot: the fqn includes the file name; target_schema is used as it is.
    const snap = node('snapshot.jaffle.orders_snapshot');
    expect(snap.fqn).toEqual(['jaffle', 'orders_snapshot', 'orders_snapshot']);
    expect(snap.relation.schema).toBe('snapshots');
    expect(snap.line).toBe(1);
    expect(snap.rawCode).toContain("select * from {{ ref('stg_orders') }}");
    // yml snapshot (dbt 1.9): relation: ref(...) becomes select *.
    const ymlSnap = node('snapshot.jaffle.customers_snapshot');
    expect(ymlSnap.rawCode).toBe("select * from {{ ref('stg_customers') }}");
    expect(ymlSnap.path).toBe('snapshots.yml/customers_snapshot.sql');
    expect(ymlSnap.fqn).toEqual(['jaffle', 'customers_snapshot']);
    expect(ymlSnap.config.strategy).toBe('check');
    expect(ymlSnap.relation.schema).toBe('main_snapshots');
    expect(ymlSnap.dependsOn.nodes).toEqual(['model.jaffle.stg_customers']);
  });

  it('resolves configs with dbt precedence: config() > yml > deepest folder > root, tags appended, meta merged', () => {
    const orders = node('model.jaffle.orders');
    // root view < marts table < yml table < config() incremental
    expect(orders.config.materialized).toBe('incremental');
    expect(orders.config.unique_key).toBe('order_id');
    expect(orders.config.incremental_strategy).toBe('merge');
    expect(orders.tags).toEqual(['orders_by_name']);
    expect(orders.config.meta).toEqual({ owner: 'analytics', contains_pii: false });
    const stg = node('model.jaffle.stg_orders');
    // yml says table, config() says view
    expect(stg.config.materialized).toBe('view');
    expect(stg.tags).toEqual(['staging', 'yml_tag', 'orders_stg']);
    expect(stg.unrenderedConfig).toMatchObject({ schema: 'staging', materialized: 'view', tags: ['orders_stg'] });
    expect(node('model.jaffle.customers').config.materialized).toBe('table');
    expect(node('model.jaffle.stg_customers').config.materialized).toBe('view');
    expect(node('model.jaffle.int_payment_totals').config.materialized).toBe('ephemeral');
    expect(node('seed.jaffle.raw_orders').config.column_types).toEqual({ order_date: 'date' });
    expect(node('seed.jaffle.raw_payments').config.column_types).toEqual({ amount: 'integer' });
    expect(node('snapshot.jaffle.orders_snapshot').config).toMatchObject({
      materialized: 'snapshot',
      strategy: 'timestamp',
      unique_key: 'order_id',
      updated_at: 'order_date',
      target_schema: 'snapshots',
    });
  });

  it('resolves test configs: yml > config() in the test definition > dbt_project.yml', () => {
    const plain = node('test.jaffle.positive_value_orders_amount.83c2f2a92e');
    expect(plain.config.severity).toBe('WARN'); // from {{ config(severity='warn') }} in the definition
    expect(plain.config.store_failures).toBe(false); // data_tests: block
    expect(plain.dependsOn.macros).toEqual(['macro.jaffle.test_positive_value', 'macro.dbt.get_where_subquery']);
    const strict = node('test.jaffle.amount_is_positive_strict.b68ee0d856');
    expect(strict.name).toBe('amount_is_positive_strict');
    expect(strict.config.severity).toBe('ERROR');
    expect(strict.config.where).toBe("order_date > '2018-01-01'");
    expect(strict.rawCode).toBe(
      `{{ test_positive_value(**_dbt_generic_test_kwargs) }}{{ config(severity="ERROR",where="order_date > '2018-01-01'") }}`,
    );
    const warn = node('test.jaffle.accepted_values_customers_number_of_orders__False__0__1__2__3.aec7b4b4a3');
    expect(warn.config.severity).toBe('WARN'); // top-level (legacy) config key
  });

  it('records depends_on from refs (1- and 2-argument), sources and macros', () => {
    expect(node('model.jaffle.stg_payments').dependsOn).toEqual({
      nodes: ['seed.jaffle.raw_payments'],
      macros: ['macro.jaffle.cents_to_dollars'],
    });
    expect(node('model.jaffle.stg_payments').refs).toEqual([
      { name: 'raw_payments', package: 'jaffle', version: null },
    ]);
    expect(node('model.jaffle.int_payment_totals').dependsOn.macros).toEqual([
      'macro.jaffle.payment_methods',
      'macro.jaffle.amount_column',
    ]);
    // refs first, then sources, as dbt links them
    expect(node('model.jaffle.page_views_daily').dependsOn.nodes).toEqual([
      'model.jaffle.stg_customers',
      'source.jaffle.web.page_views',
    ]);
    expect(node('model.jaffle.orders').dependsOn.nodes).toEqual([
      'model.jaffle.stg_orders',
      'model.jaffle.int_payment_totals',
    ]);
  });

  it('builds sorted parent_map and child_map over nodes and sources', () => {
    expect(manifest.parentMap.get('model.jaffle.customers')).toEqual([
      'model.jaffle.orders',
      'model.jaffle.stg_customers',
    ]);
    expect(manifest.parentMap.get('source.jaffle.web.page_views')).toEqual([]);
    expect(manifest.childMap.get('model.jaffle.orders')).toEqual([
      'model.jaffle.customers',
      'test.jaffle.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
      'test.jaffle.amount_is_positive_strict.b68ee0d856',
      'test.jaffle.assert_order_amount_positive',
      'test.jaffle.not_null_orders_customer_id.c5f02694af',
      'test.jaffle.not_null_orders_order_id.cf6c17daed',
      'test.jaffle.positive_value_orders_amount.83c2f2a92e',
      'test.jaffle.relationships_orders_customer_id__customer_id__ref_customers_.c6ec7f58f2',
      'test.jaffle.unique_orders_order_id.fed79b3a6e',
    ]);
    expect(manifest.childMap.get('test.jaffle.unique_orders_order_id.fed79b3a6e')).toEqual([]);
    expect([...manifest.parentMap.keys()]).toEqual([...manifest.parentMap.keys()].sort());
  });

  it('reads sources: identifier, schema, event_time, docs, disabled tables', () => {
    const source = manifest.sources.get('source.jaffle.web.page_views');
    expect(source).toMatchObject({
      name: 'page_views',
      sourceName: 'web',
      fqn: ['jaffle', 'staging', 'web', 'page_views'],
      relation: { database: 'stage-05', schema: 'web_raw', identifier: 'pageviews' },
      eventTime: 'viewed_at',
      sourceDescription: 'Page views from the web site.',
      loader: 'stage 4',
      originalFilePath: 'models/staging/_sources.yml',
    });
    expect(manifest.sources.has('source.jaffle.web.sessions')).toBe(false);
    expect(manifest.disabled?.has('source.jaffle.web.sessions')).toBe(true);
  });

  it('renders doc() in descriptions, reads columns, docs blocks and macros', () => {
    const orders = node('model.jaffle.orders');
    expect(orders.description).toBe('One row per order, with its payments by method.');
    expect(orders.columns.order_id).toEqual({
      name: 'order_id',
      description: "The order's key.",
      dataType: null,
      meta: {},
      tags: [],
      quote: null,
    });
    expect(orders.patchPath).toBe('models/marts/schema.yml');
    expect([...manifest.docs.keys()]).toEqual(['doc.jaffle.orders', 'doc.jaffle.web_source']);
    expect(manifest.macros.get('macro.jaffle.cents_to_dollars')?.macroSql).toMatch(
      /^\{% macro cents_to_dollars\(col, scale=2\) -%\}/,
    );
    expect(manifest.macros.get('macro.jaffle.payment_methods')?.dependsOnMacros).toEqual([]);
    expect(manifest.macros.has('macro.dbt.test_not_null')).toBe(true);
    expect(manifest.macros.has('macro.jaffle.test_positive_value')).toBe(true);
  });

  it('checksums files as sha256 of their stripped contents, and warns once per unsupported key', () => {
    expect(node('model.jaffle.orders').checksum.name).toBe('sha256');
    expect(node('model.jaffle.orders').checksum.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.warnings).toEqual([
      "dbt_project.yml:7:3: 'on-run-start' is ignored (hooks at the start of a run are not run).",
    ]);
  });
});
