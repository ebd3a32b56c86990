import { type AssetNode, parseSelection, type Selection } from '@mart/stage-06-orchestration/given';
import { selectAssets } from '@mart/track/06-orchestration';
import { describe, expect, test } from 'vitest';

/** A small course graph: raw files → bronze → dbt staging → marts, and a gold mart straight from bronze.
 *
 *   raw/sales ─────┐
 *                  ├─> lake/bronze/sales ──> dbt/stg_sales ──┬─> dbt/fct_sales ──┬─> dbt/daily_revenue
 *   raw/customers ─┤                    └──> lake/gold/revenue│                   │
 *                  └─> lake/bronze/customers ──> dbt/stg_customers ─┴────────────────┴─> dbt/segment_revenue
 */
const graph: AssetNode[] = [
  { key: 'raw/sales', deps: [], group: 'raw', kinds: ['csv'], tags: {}, owners: [] },
  { key: 'raw/customers', deps: [], group: 'raw', kinds: ['csv'], tags: { pii: '' }, owners: [] },
  {
    key: 'lake/bronze/sales',
    deps: ['raw/sales', 'raw/customers'],
    group: 'bronze',
    kinds: ['parquet', 's3'],
    tags: {},
    owners: ['team:platform'],
  },
  {
    key: 'lake/bronze/customers',
    deps: ['raw/customers'],
    group: 'bronze',
    kinds: ['parquet', 's3'],
    tags: { pii: '' },
    owners: ['team:platform'],
  },
  {
    key: 'lake/gold/revenue',
    deps: ['lake/bronze/sales'],
    group: 'gold',
    kinds: ['ducklake', 'duckdb'],
    tags: { tier: 'gold' },
    owners: ['team:platform'],
  },
  {
    key: 'dbt/stg_sales',
    deps: ['lake/bronze/sales'],
    group: 'staging',
    kinds: ['dbt', 'duckdb', 'incremental'],
    tags: { staging: '' },
    owners: [],
  },
  {
    key: 'dbt/stg_customers',
    deps: ['lake/bronze/customers'],
    group: 'staging',
    kinds: ['dbt', 'duckdb', 'table'],
    tags: { staging: '', pii: 'masked' },
    owners: [],
  },
  {
    key: 'dbt/fct_sales',
    deps: ['dbt/stg_sales', 'dbt/stg_customers'],
    group: 'marts',
    kinds: ['dbt', 'duckdb', 'incremental'],
    tags: { marts: '', tier: 'gold' },
    owners: ['ana@mart.dev'],
  },
  {
    key: 'dbt/daily_revenue',
    deps: ['dbt/fct_sales'],
    group: 'marts',
    kinds: ['dbt', 'duckdb', 'incremental'],
    tags: { marts: '', tier: 'silver' },
    owners: ['ana@mart.dev', 'team:finance'],
  },
  {
    key: 'dbt/segment_revenue',
    deps: ['dbt/fct_sales', 'dbt/stg_customers'],
    group: 'marts',
    kinds: ['dbt', 'duckdb', 'table'],
    tags: { marts: '' },
    owners: ['team:finance'],
  },
];

/** The keys a selection (written in Dagster's syntax, parsed by the stage) picks from the graph. */
const select = (text: string, nodes: readonly AssetNode[] = graph) => selectAssets(nodes, parseSelection(text));

describe('select-assets', () => {
  test('* is every asset, keys sorted; the tree can also be built by hand', () => {
    const everything = graph.map((node) => node.key).sort();
    expect(select('*')).toEqual(everything);
    const byHand: Selection = { kind: 'attribute', attribute: 'group', value: 'raw' };
    expect(selectAssets(graph, byHand)).toEqual(['raw/customers', 'raw/sales']);
    expect(selectAssets([], { kind: 'all' })).toEqual([]);
  });

  test('key: matches the whole key, never a part of it', () => {
    expect(select('key:dbt/stg_sales')).toEqual(['dbt/stg_sales']);
    expect(select('key:stg_sales')).toEqual([]);
    expect(select('key:dbt')).toEqual([]);
    expect(select('key:"dbt/stg_sales "')).toEqual([]);
  });

  test('key: with * wildcards, which match any characters, slashes included, anchored at both ends', () => {
    expect(select('key:dbt/*')).toEqual([
      'dbt/daily_revenue',
      'dbt/fct_sales',
      'dbt/segment_revenue',
      'dbt/stg_customers',
      'dbt/stg_sales',
    ]);
    expect(select('key:*sales')).toEqual(['dbt/fct_sales', 'dbt/stg_sales', 'lake/bronze/sales', 'raw/sales']);
    expect(select('key:lake*sales')).toEqual(['lake/bronze/sales']);
    expect(select('key:*/stg_*')).toEqual(['dbt/stg_customers', 'dbt/stg_sales']);
    expect(select('key:"*revenue*"')).toEqual(['dbt/daily_revenue', 'dbt/segment_revenue', 'lake/gold/revenue']);
    expect(select('key:sales*')).toEqual([]);
  });

  test('group:, kind: and owner: match exactly', () => {
    expect(select('group:staging')).toEqual(['dbt/stg_customers', 'dbt/stg_sales']);
    expect(select('group:stag')).toEqual([]);
    expect(select('kind:s3')).toEqual(['lake/bronze/customers', 'lake/bronze/sales']);
    expect(select('kind:incremental')).toEqual(['dbt/daily_revenue', 'dbt/fct_sales', 'dbt/stg_sales']);
    expect(select('owner:"team:finance"')).toEqual(['dbt/daily_revenue', 'dbt/segment_revenue']);
    expect(select('owner:"ana@mart.dev"')).toEqual(['dbt/daily_revenue', 'dbt/fct_sales']);
  });

  test('tag:k matches only the tag WITHOUT a value; tag:k=v that exact value', () => {
    // pii is '' on raw/customers and lake/bronze/customers, 'masked' on dbt/stg_customers.
    expect(select('tag:pii')).toEqual(['lake/bronze/customers', 'raw/customers']);
    expect(select('tag:pii=masked')).toEqual(['dbt/stg_customers']);
    expect(select('tag:tier')).toEqual([]);
    expect(select('tag:tier=gold')).toEqual(['dbt/fct_sales', 'lake/gold/revenue']);
    expect(select('tag:marts')).toEqual(['dbt/daily_revenue', 'dbt/fct_sales', 'dbt/segment_revenue']);
    expect(select('tag:gold')).toEqual([]);
  });

  test('and, or, not (not is everything else in the graph), parentheses', () => {
    expect(select('group:marts and tag:tier=gold')).toEqual(['dbt/fct_sales']);
    expect(select('group:raw or group:gold')).toEqual(['lake/gold/revenue', 'raw/customers', 'raw/sales']);
    expect(select('not kind:dbt')).toEqual([
      'lake/bronze/customers',
      'lake/bronze/sales',
      'lake/gold/revenue',
      'raw/customers',
      'raw/sales',
    ]);
    expect(select('not not group:raw')).toEqual(['raw/customers', 'raw/sales']);
    expect(select('kind:dbt and not (group:marts or tag:staging)')).toEqual([]);
    expect(select('not * ')).toEqual([]);
  });

  test('+x: the asset and all its ancestors; n+x: up to n levels, at the shortest distance', () => {
    expect(select('+key:dbt/fct_sales')).toEqual([
      'dbt/fct_sales',
      'dbt/stg_customers',
      'dbt/stg_sales',
      'lake/bronze/customers',
      'lake/bronze/sales',
      'raw/customers',
      'raw/sales',
    ]);
    expect(select('1+key:dbt/fct_sales')).toEqual(['dbt/fct_sales', 'dbt/stg_customers', 'dbt/stg_sales']);
    expect(select('2+key:dbt/fct_sales')).toEqual([
      'dbt/fct_sales',
      'dbt/stg_customers',
      'dbt/stg_sales',
      'lake/bronze/customers',
      'lake/bronze/sales',
    ]);
    // stg_customers is a direct parent of segment_revenue, and also two levels up through fct_sales.
    expect(select('1+key:dbt/segment_revenue')).toEqual(['dbt/fct_sales', 'dbt/segment_revenue', 'dbt/stg_customers']);
    expect(select('2+key:dbt/segment_revenue')).toEqual([
      'dbt/fct_sales',
      'dbt/segment_revenue',
      'dbt/stg_customers',
      'dbt/stg_sales',
      'lake/bronze/customers',
    ]);
  });

  test('x+: the asset and all its descendants; x+n: down n levels', () => {
    expect(select('key:lake/bronze/sales+')).toEqual([
      'dbt/daily_revenue',
      'dbt/fct_sales',
      'dbt/segment_revenue',
      'dbt/stg_sales',
      'lake/bronze/sales',
      'lake/gold/revenue',
    ]);
    expect(select('key:lake/bronze/sales+1')).toEqual(['dbt/stg_sales', 'lake/bronze/sales', 'lake/gold/revenue']);
    expect(select('key:raw/customers+2')).toEqual([
      'dbt/stg_customers',
      'dbt/stg_sales',
      'lake/bronze/customers',
      'lake/bronze/sales',
      'lake/gold/revenue',
      'raw/customers',
    ]);
    expect(select('key:dbt/daily_revenue+')).toEqual(['dbt/daily_revenue']);
  });

  test('n+x+m: ancestors and descendants of x, never the other parents of its children', () => {
    expect(select('1+key:dbt/stg_sales+1')).toEqual(['dbt/fct_sales', 'dbt/stg_sales', 'lake/bronze/sales']);
    expect(select('+key:dbt/stg_customers+')).toEqual([
      'dbt/daily_revenue',
      'dbt/fct_sales',
      'dbt/segment_revenue',
      'dbt/stg_customers',
      'lake/bronze/customers',
      'raw/customers',
    ]);
    // The path between two assets (Dagster's example): downstream of one and upstream of the other.
    expect(select('key:raw/sales+ and +key:dbt/daily_revenue')).toEqual([
      'dbt/daily_revenue',
      'dbt/fct_sales',
      'dbt/stg_sales',
      'lake/bronze/sales',
      'raw/sales',
    ]);
    expect(select('+(group:gold or key:dbt/stg_sales)')).toEqual([
      'dbt/stg_sales',
      'lake/bronze/sales',
      'lake/gold/revenue',
      'raw/customers',
      'raw/sales',
    ]);
  });

  test('depth 0 adds nothing; a traversal inside not, and of a whole expression', () => {
    const zero: Selection = {
      kind: 'traverse',
      up: 0,
      down: 0,
      operand: { kind: 'attribute', attribute: 'key', value: 'dbt/fct_sales' },
    };
    expect(selectAssets(graph, zero)).toEqual(['dbt/fct_sales']);
    expect(select('not +key:dbt/stg_sales')).toEqual([
      'dbt/daily_revenue',
      'dbt/fct_sales',
      'dbt/segment_revenue',
      'dbt/stg_customers',
      'lake/bronze/customers',
      'lake/gold/revenue',
    ]);
  });

  test('roots(x) / sinks(x): members of x with no ancestor / descendant in x, at any distance', () => {
    expect(select('roots(*)')).toEqual(['raw/customers', 'raw/sales']);
    expect(select('sinks(*)')).toEqual(['dbt/daily_revenue', 'dbt/segment_revenue', 'lake/gold/revenue']);
    // Both staging models have parents in the graph, but none inside the selection.
    expect(select('roots(group:staging or group:marts)')).toEqual(['dbt/stg_customers', 'dbt/stg_sales']);
    expect(select('sinks(group:staging or group:bronze)')).toEqual(['dbt/stg_customers', 'dbt/stg_sales']);
    // raw/sales is an ancestor of fct_sales through assets outside the selection: fct_sales is no root.
    expect(select('roots(key:raw/sales or key:dbt/fct_sales)')).toEqual(['raw/sales']);
    expect(select('sinks(key:raw/sales or key:dbt/fct_sales)')).toEqual(['dbt/fct_sales']);
    expect(select('roots(key:dbt/fct_sales)+1')).toEqual(['dbt/daily_revenue', 'dbt/fct_sales', 'dbt/segment_revenue']);
    expect(select('sinks(key:nothing)')).toEqual([]);
  });

  test('a dependency that is not in the graph is ignored', () => {
    const partial: AssetNode[] = [
      { key: 'dbt/stg_sales', deps: ['lake/bronze/sales'], group: 'staging', kinds: [], tags: {}, owners: [] },
      {
        key: 'dbt/fct_sales',
        deps: ['dbt/stg_sales', 'dbt/stg_sales'],
        group: 'marts',
        kinds: [],
        tags: {},
        owners: [],
      },
    ];
    expect(select('+key:dbt/fct_sales', partial)).toEqual(['dbt/fct_sales', 'dbt/stg_sales']);
    expect(select('roots(*)', partial)).toEqual(['dbt/stg_sales']);
    expect(select('key:dbt/stg_sales+', partial)).toEqual(['dbt/fct_sales', 'dbt/stg_sales']);
  });
});
