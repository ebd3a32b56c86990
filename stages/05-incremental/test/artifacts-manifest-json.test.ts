import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledRelativePath, writeCompiledFile } from '../src/artifacts/compiled-files.ts';
import { manifestJson, writeManifestJson } from '../src/artifacts/manifest-json.ts';
import type { CompiledNodeWithCtes } from '../src/manifest/compile-node.ts';
import { buildFixture } from './fixtures/projects/load-fixture.ts';

const { manifest, compiler, project } = buildFixture('jaffle');
const targetPath = join(project.root, 'target');
const orders = manifest.nodes.get('model.jaffle.orders');
if (!orders) throw new Error('no orders');
const compiledOrders = compiler.compile(orders, { isIncremental: false }) as CompiledNodeWithCtes;
const json = manifestJson(manifest, {
  projectRoot: project.root,
  targetPath,
  compiled: new Map([[orders.uniqueId, compiledOrders]]),
  invocationId: '00000000-0000-4000-8000-000000000000',
  generatedAt: new Date('2024-05-01T10:00:00.123Z'),
});
type Json = Record<string, unknown>;
const nodes = json.nodes as Record<string, Json>;

// Required keys per node type in dbt's manifest v12 JSON Schema (dbt.md §1.3: the
// dataclass fields without defaults), and the schema's top-level required list.
const required = [
  'database',
  'schema',
  'name',
  'resource_type',
  'package_name',
  'path',
  'original_file_path',
  'unique_id',
  'fqn',
  'alias',
  'checksum',
];

describe('manifest.json (dbt manifest v12)', () => {
  it('has all 16 top-level keys and dbt metadata', () => {
    expect(Object.keys(json)).toEqual([
      'metadata',
      'nodes',
      'sources',
      'macros',
      'docs',
      'exposures',
      'metrics',
      'groups',
      'selectors',
      'disabled',
      'parent_map',
      'child_map',
      'group_map',
      'saved_queries',
      'semantic_models',
      'unit_tests',
    ]);
    expect(json.metadata).toMatchObject({
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      generated_at: '2024-05-01T10:00:00.123000Z',
      invocation_id: '00000000-0000-4000-8000-000000000000',
      env: {},
      project_name: 'jaffle',
      project_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      adapter_type: 'duckdb',
    });
  });

  it('writes every node with the required fields, snake_case, dbt shapes', () => {
    for (const [id, node] of Object.entries(nodes)) {
      for (const key of required) expect(node, `${id}.${key}`).toHaveProperty(key);
      expect(node.unique_id).toBe(id);
      expect(typeof node.created_at).toBe('number');
    }
    const model = nodes['model.jaffle.customers'] as Json;
    expect(model).toMatchObject({
      resource_type: 'model',
      relation_name: '"stage-05"."main"."customers"',
      language: 'sql',
      depends_on: {
        macros: ['macro.jaffle.cents_to_dollars'],
        nodes: ['model.jaffle.stg_customers', 'model.jaffle.orders'],
      },
      refs: [
        { name: 'stg_customers', package: null, version: null },
        { name: 'orders', package: null, version: null },
      ],
      access: 'protected',
      contract: { enforced: false, alias_types: true, checksum: null },
      compiled_path: null,
    });
    // parse-only nodes have no compiled keys at all (dbt deletes them)
    expect(model).not.toHaveProperty('compiled_code');
    const config = model.config as Json;
    expect(config).toMatchObject({
      materialized: 'table',
      'pre-hook': [],
      'post-hook': [],
      on_schema_change: 'ignore',
      meta: { owner: 'analytics' },
    });
    expect(config).not.toHaveProperty('severity');
    expect(nodes['model.jaffle.int_payment_totals']?.relation_name).toBeNull();
    expect(nodes['seed.jaffle.raw_orders']).toMatchObject({ root_path: project.root, depends_on: { macros: [] } });
    expect(nodes['seed.jaffle.raw_orders']?.config).toMatchObject({
      materialized: 'seed',
      delimiter: ',',
      column_types: { order_date: 'date' },
    });
    const test = nodes['test.jaffle.not_null_orders_order_id.cf6c17daed'] as Json;
    expect(test).toMatchObject({
      column_name: 'order_id',
      file_key_name: 'models.orders',
      attached_node: 'model.jaffle.orders',
      relation_name: null,
      test_metadata: {
        name: 'not_null',
        kwargs: { column_name: 'order_id', model: "{{ get_where_subquery(ref('orders')) }}" },
        namespace: null,
      },
    });
    expect(Object.keys(test.config as Json)).toEqual([
      'enabled',
      'alias',
      'schema',
      'database',
      'tags',
      'meta',
      'group',
      'materialized',
      'severity',
      'store_failures',
      'store_failures_as',
      'where',
      'limit',
      'fail_calc',
      'warn_if',
      'error_if',
    ]);
    expect(nodes['model.jaffle.orders']?.patch_path).toBe('jaffle://models/marts/schema.yml');
  });

  it('writes compiled code, extra_ctes and the compiled path of compiled nodes', () => {
    expect(nodes['model.jaffle.orders']).toMatchObject({
      compiled: true,
      compiled_code: compiledOrders.sql,
      extra_ctes_injected: true,
      extra_ctes: [
        {
          id: 'model.jaffle.int_payment_totals',
          sql: expect.stringMatching(/^ __dbt__cte__int_payment_totals as \(\n/),
        },
      ],
      compiled_path: 'target/compiled/jaffle/models/marts/orders.sql',
    });
  });

  it('writes sources, macros, docs, disabled, parent_map and child_map', () => {
    const source = (json.sources as Record<string, Json>)['source.jaffle.web.page_views'];
    expect(source).toMatchObject({
      source_name: 'web',
      identifier: 'pageviews',
      schema: 'web_raw',
      relation_name: '"stage-05"."web_raw"."pageviews"',
      config: { enabled: true, event_time: 'viewed_at' },
      loader: 'stage 4',
    });
    for (const key of ['source_description', 'loader', 'identifier', 'fqn', 'source_name'])
      expect(source).toHaveProperty(key);
    expect((json.macros as Record<string, Json>)['macro.jaffle.cents_to_dollars']).toMatchObject({
      resource_type: 'macro',
      original_file_path: 'macros/cents_to_dollars.sql',
      path: 'cents_to_dollars.sql',
    });
    expect((json.docs as Record<string, Json>)['doc.jaffle.orders']).toMatchObject({
      resource_type: 'doc',
      block_contents: 'One row per order, with its payments by method.',
    });
    expect(Object.keys(json.disabled as Json)).toEqual(['source.jaffle.web.sessions']);
    expect((json.parent_map as Record<string, string[]>)['model.jaffle.customers']).toEqual([
      'model.jaffle.orders',
      'model.jaffle.stg_customers',
    ]);
    expect((json.child_map as Record<string, string[]>)['source.jaffle.web.page_views']).toEqual([
      'model.jaffle.page_views_daily',
      'test.jaffle.source_not_null_web_page_views_customer_id.8f3e9fed12',
    ]);
  });

  it('writes manifest.json and compiled files where dbt does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mart-target-'));
    const file = writeManifestJson(manifest, { projectRoot: project.root, targetPath: dir });
    expect(JSON.parse(readFileSync(file, 'utf8')).metadata.project_name).toBe('jaffle');
    const test = manifest.nodes.get(
      'test.jaffle.accepted_values_orders_status__placed__shipped__completed__return_pending__returned.be6b5b5ec3',
    );
    if (!test) throw new Error('no test');
    expect(compiledRelativePath(test)).toBe(
      'compiled/jaffle/models/marts/schema.yml/accepted_values_orders_1ce6ab157c285f7cd2ac656013faf758.sql',
    );
    expect(compiledRelativePath(orders, 'run')).toBe('run/jaffle/models/marts/orders.sql');
    const written = writeCompiledFile(dir, orders, compiledOrders.sql);
    expect(written).toBe(join(dir, 'compiled/jaffle/models/marts/orders.sql'));
    expect(readFileSync(written, 'utf8')).toBe(compiledOrders.sql);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });
});
