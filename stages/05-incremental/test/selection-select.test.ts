import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeManifestJson } from '../src/artifacts/manifest-json.ts';
import { readStateManifest } from '../src/artifacts/state-manifest.ts';
import type { ResourceType } from '../src/manifest/types.ts';
import { fnmatch } from '../src/selection/fnmatch.ts';
import { listNodes } from '../src/selection/list-nodes.ts';
import { parseCriterion } from '../src/selection/parse-selector.ts';
import { selectNodes } from '../src/selection/select-nodes.ts';
import { buildFixture, buildTemp } from './fixtures/projects/load-fixture.ts';

const { manifest, project } = buildFixture('jaffle');
const all: ResourceType[] = ['model', 'seed', 'snapshot', 'test', 'source'];
const select = (selectors: string[], exclude: string[] = [], resourceTypes: ResourceType[] = all) =>
  selectNodes(manifest, { select: selectors, exclude, resourceTypes });
const models = (selectors: string[], exclude: string[] = []) => select(selectors, exclude, ['model']);
const names = (ids: string[]) => ids.map((id) => id.split('.')[2]);

describe('selectNodes', () => {
  it('parses dbt selector syntax', () => {
    expect(parseCriterion('2+config.materialized:incremental+3')).toMatchObject({
      method: 'config',
      methodArgs: ['materialized'],
      value: 'incremental',
      parentsDepth: 2,
      childrenDepth: 3,
      childrensParents: false,
    });
    expect(parseCriterion('models/staging').method).toBe('path');
    expect(parseCriterion('orders.sql').method).toBe('file');
    expect(parseCriterion('@orders')).toMatchObject({ method: 'fqn', childrensParents: true, parentsDepth: null });
    expect(() => parseCriterion('@orders+')).toThrow('"@" prefix and "+" suffix are incompatible');
    expect(fnmatch('jaffle.staging.stg_orders', 'jaffle.*.stg_*')).toBe(true);
    expect(fnmatch('stg_orders', 'stg_[!o]*')).toBe(false);
  });

  it('everything by default, filtered by resource type', () => {
    expect(select([], [], ['seed'])).toEqual([
      'seed.jaffle.raw_customers',
      'seed.jaffle.raw_orders',
      'seed.jaffle.raw_payments',
    ]);
    expect(select([], [], ['source'])).toEqual(['source.jaffle.web.page_views']);
  });

  it('fqn: a name, a folder prefix, the package, wildcards', () => {
    expect(models(['orders'])).toEqual(['model.jaffle.orders']);
    expect(names(models(['staging']))).toEqual(['int_payment_totals', 'stg_customers', 'stg_orders', 'stg_payments']);
    expect(models(['jaffle'])).toHaveLength(7);
    expect(names(models(['jaffle.marts.*']))).toEqual(['customers', 'orders', 'page_views_daily']);
    // dbt 1.9+: a wildcard part matches the rest of the fqn ("staging.stg_orders"), so
    // stg_* selects nothing in a folder while *stg_* does.
    expect(names(models(['stg_*']))).toEqual([]);
    expect(names(models(['*stg_*']))).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(names(models(['staging.stg_*']))).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(names(models(['fqn:*']))).toHaveLength(7);
  });

  it('path:, file:, tag:, config.*:, resource_type:, package:, source:, test_name:, test_type:', () => {
    expect(names(models(['path:models/marts']))).toEqual(['customers', 'orders', 'page_views_daily']);
    expect(names(models(['models/staging/stg_*.sql']))).toEqual(['stg_customers', 'stg_orders', 'stg_payments']);
    expect(names(models(['file:orders.sql']))).toEqual(['orders']);
    expect(names(models(['stg_orders.sql']))).toEqual(['stg_orders']);
    expect(names(models(['tag:staging']))).toEqual([
      'int_payment_totals',
      'stg_customers',
      'stg_orders',
      'stg_payments',
    ]);
    expect(names(models(['tag:orders_*']))).toEqual(['orders', 'stg_orders']);
    expect(names(models(['config.materialized:incremental']))).toEqual(['orders', 'page_views_daily']);
    expect(names(select(['config.severity:warn'], [], ['test']))).toEqual([
      'accepted_values_customers_number_of_orders__False__0__1__2__3',
      'positive_value_orders_amount',
    ]);
    expect(names(select(['config.tags:yml_tag']))).toContain('stg_orders');
    expect(select(['resource_type:snapshot'])).toEqual([
      'snapshot.jaffle.customers_snapshot',
      'snapshot.jaffle.orders_snapshot',
    ]);
    expect(select(['package:jaff*'], [], ['seed'])).toHaveLength(3);
    expect(select(['source:web'])).toEqual([
      'source.jaffle.web.page_views',
      'test.jaffle.source_not_null_web_page_views_customer_id.8f3e9fed12',
    ]);
    expect(select(['source:web.page_*'], [], ['source'])).toEqual(['source.jaffle.web.page_views']);
    expect(select(['source:jaffle.web.page_views'], [], ['source'])).toEqual(['source.jaffle.web.page_views']);
    expect(names(select(['test_name:relationships'], [], ['test']))).toEqual([
      'relationships_orders_customer_id__customer_id__ref_customers_',
    ]);
    expect(select(['test_type:singular'], [], ['test'])).toEqual(['test.jaffle.assert_order_amount_positive']);
    expect(select(['test_type:generic'], [], ['test'])).toHaveLength(15);
  });

  it('graph operators +x, n+x, x+, x+n, @x', () => {
    expect(names(select(['+customers'], [], ['model', 'seed']))).toEqual([
      'customers',
      'int_payment_totals',
      'orders',
      'stg_customers',
      'stg_orders',
      'stg_payments',
      'raw_customers',
      'raw_orders',
      'raw_payments',
    ]);
    expect(names(select(['1+customers'], [], ['model', 'seed']))).toEqual(['customers', 'orders', 'stg_customers']);
    expect(names(models(['stg_orders+']))).toEqual(['customers', 'orders', 'stg_orders']);
    expect(names(select(['stg_orders+1'], [], ['model', 'snapshot']))).toEqual([
      'orders',
      'stg_orders',
      'orders_snapshot',
    ]);
    expect(names(select(['@stg_payments'], [], ['model', 'seed']))).toEqual([
      'customers',
      'int_payment_totals',
      'orders',
      'stg_customers',
      'stg_orders',
      'stg_payments',
      'raw_customers',
      'raw_orders',
      'raw_payments',
    ]);
  });

  it('union by space or arguments, intersection by comma, exclude', () => {
    expect(names(models(['stg_orders stg_customers']))).toEqual(['stg_customers', 'stg_orders']);
    expect(names(models(['stg_orders', 'customers']))).toEqual(['customers', 'stg_orders']);
    expect(names(models(['tag:staging,config.materialized:ephemeral']))).toEqual(['int_payment_totals']);
    expect(names(models(['staging'], ['stg_payments', 'tag:orders_stg']))).toEqual([
      'int_payment_totals',
      'stg_customers',
    ]);
  });

  it('selects tests eagerly (any parent selected), and excludes them the same way', () => {
    const tests = select(['customers'], [], ['test']);
    expect(names(tests)).toEqual([
      'accepted_values_customers_number_of_orders__False__0__1__2__3',
      'relationships_orders_customer_id__customer_id__ref_customers_',
      'unique_customers_customer_id',
    ]);
    // Excluding orders drops the relationships test, whose other parent (customers) is still selected.
    expect(names(select(['marts'], ['orders'], ['test']))).toEqual([
      'accepted_values_customers_number_of_orders__False__0__1__2__3',
      'unique_customers_customer_id',
    ]);
  });

  it('unknown methods and values are errors with the closest names; empty selections are warnings', () => {
    expect(() => select(['tga:staging'])).toThrow("'tga' is not a valid method name");
    try {
      select(['tga:staging']);
    } catch (error) {
      expect((error as { hint?: string }).hint).toMatch(/^Did you mean 'tag'\?/);
    }
    expect(() => select(['resource_type:modle'])).toThrow("'modle' is not a valid resource_type");
    expect(() => select(['test_type:unit_test'])).toThrow("'unit_test' is not a valid test_type");
    expect(() => select(['state:modified'])).toThrow('Got a state selector method, but no comparison manifest');
    const warnings: string[] = [];
    expect(
      selectNodes(manifest, { select: ['ordrs'], exclude: [], resourceTypes: all, onWarning: (w) => warnings.push(w) }),
    ).toEqual([]);
    expect(warnings).toEqual([
      "The selection criterion 'ordrs' does not match any enabled nodes. Did you mean 'orders'?",
      'No nodes selected!',
    ]);
  });

  it('state:new and state:modified (body, configs) against a saved manifest.json', () => {
    const files = {
      'models/a.sql': 'select 1 as x',
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "{{ config(materialized='table') }}select 2 as y",
      'macros/m.sql': '{% macro m() %}1{% endmacro %}',
      'models/d.sql': 'select {{ m() }} as z',
    };
    const before = buildTemp(files);
    const dir = mkdtempSync(join(tmpdir(), 'mart-state-'));
    writeManifestJson(before.manifest, { projectRoot: before.project.root, targetPath: dir });
    const after = buildTemp({
      ...files,
      'models/b.sql': "select * from {{ ref('a') }} where true",
      'models/c.sql': "{{ config(materialized='view') }}select 2 as y",
      'macros/m.sql': '{% macro m() %}2{% endmacro %}',
      'models/e.sql': 'select 3',
    });
    const stateManifest = readStateManifest(dir);
    const pick = (selector: string) =>
      names(selectNodes(after.manifest, { select: [selector], exclude: [], resourceTypes: ['model'], stateManifest }));
    expect(pick('state:new')).toEqual(['e']);
    expect(pick('state:modified')).toEqual(['b', 'c', 'd', 'e']);
    // c's text changed too (its config() call is part of the body)
    expect(pick('state:modified.body')).toEqual(['b', 'c', 'e']);
    expect(pick('state:modified.configs')).toEqual(['c', 'e']);
    expect(pick('state:modified.macros')).toEqual(['d', 'e']);
    expect(pick('state:modified+')).toEqual(['b', 'c', 'd', 'e']);
    expect(pick('state:unmodified')).toEqual(['a']);
    expect(() => readStateManifest(join(dir, 'nope'))).toThrow(
      'Got a state selector method, but no comparison manifest',
    );
  });
});

describe('listNodes (dbt ls)', () => {
  const ids = select(['stg_orders', 'source:web'], [], ['model', 'source']);
  const options = { projectRoot: project.root, targetPath: project.targetPath };
  it('prints selectors, names, paths', () => {
    expect(listNodes(manifest, ids, { ...options, output: 'selector' })).toEqual([
      'jaffle.staging.stg_orders',
      'source:jaffle.web.page_views',
    ]);
    expect(listNodes(manifest, ids, { ...options, output: 'name' })).toEqual(['stg_orders', 'web.page_views']);
    expect(listNodes(manifest, ids, { ...options, output: 'path' })).toEqual([
      'models/staging/stg_orders.sql',
      'models/staging/_sources.yml',
    ]);
  });
  it('prints one JSON object per node with dbt ALLOWED_KEYS in field order', () => {
    const [model, source] = listNodes(manifest, ids, { ...options, output: 'json' }).map((line) => JSON.parse(line));
    expect(Object.keys(model)).toEqual([
      'name',
      'resource_type',
      'package_name',
      'original_file_path',
      'unique_id',
      'alias',
      'config',
      'tags',
      'depends_on',
    ]);
    expect(model.depends_on).toEqual({ macros: [], nodes: ['seed.jaffle.raw_orders'] });
    expect(Object.keys(source)).toEqual([
      'name',
      'resource_type',
      'package_name',
      'original_file_path',
      'unique_id',
      'source_name',
      'tags',
      'config',
    ]);
    expect(listNodes(manifest, ids, { ...options, output: 'json', outputKeys: ['name'] })).toEqual([
      '{"name":"stg_orders"}',
      '{"name":"page_views"}',
    ]);
  });
});
