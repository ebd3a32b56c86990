import { CliError } from '@mart/shared';
import { describe, expect, test } from 'vitest';
import { AssetDefinitionError } from '../src/assets/asset-definition-error.ts';
import { AssetGraph } from '../src/assets/asset-graph.ts';
import { defineAsset } from '../src/assets/define-asset.ts';
import { dailyPartitions } from '../src/partitions/daily-partitions.ts';

const asset = (key: string, deps: string[] = []) => defineAsset({ key, deps });

function errorOf(work: () => unknown): AssetDefinitionError {
  try {
    work();
  } catch (error) {
    if (error instanceof AssetDefinitionError) return error;
    throw error;
  }
  throw new Error('expected an AssetDefinitionError');
}

describe('defineAsset', () => {
  test('fills in the defaults and keeps what was declared', async () => {
    const revenue = defineAsset({
      key: 'lake/gold/revenue_by_month',
      deps: ['lake/silver/fact_sales', 'lake/silver/fact_sales'],
      kinds: ['ducklake', 'ducklake'],
      tags: { tier: 'gold', pii: '' },
      owners: ['team:analytics'],
      partitions: dailyPartitions({ start: '2024-01-01' }),
      retry: { maxRetries: 3, delaySeconds: 0.2, backoff: 'exponential', jitter: 'plus_minus' },
      checks: [{ name: 'not_empty', blocking: true }],
      codeVersion: 'v1',
      materialize: async () => ({ rows: 12 }),
    });
    expect(revenue).toMatchObject({
      key: 'lake/gold/revenue_by_month',
      deps: ['lake/silver/fact_sales'],
      group: 'default',
      kinds: ['ducklake'],
      tags: { tier: 'gold', pii: '' },
      owners: ['team:analytics'],
      partitions: { type: 'daily', start: '2024-01-01', timezone: 'UTC' },
      codeVersion: 'v1',
    });
    expect(await revenue.materialize?.({} as never)).toEqual({ rows: 12 });
    expect(defineAsset({ key: 'raw/sales' })).toMatchObject({
      deps: [],
      group: 'default',
      kinds: [],
      tags: {},
      owners: [],
      checks: [],
    });
  });

  test.each([
    ['', /is not an asset key/],
    ['lake//sales', /is not an asset key/],
    ['raw/sales.csv', /is not an asset key/],
    ['/raw', /is not an asset key/],
  ])('the key %j is refused', (key, message) => {
    expect(() => defineAsset({ key })).toThrow(message);
  });

  test('a bad dependency key, duplicate checks and retry policies are refused, naming the asset', () => {
    expect(errorOf(() => defineAsset({ key: 'a', deps: ['b c'] })).message).toMatch(/Asset "a": its dependency "b c"/);
    expect(() =>
      defineAsset({
        key: 'a',
        checks: [
          { name: 'x', blocking: true },
          { name: 'x', blocking: false },
        ],
      }),
    ).toThrow(/two checks are called "x"/);
    expect(() => defineAsset({ key: 'a', retry: { maxRetries: -1 } })).toThrow(/maxRetries must be a whole number/);
    expect(() => defineAsset({ key: 'a', retry: { maxRetries: 2, backoff: 'linear' } })).toThrow(
      /backoff needs a retry.delaySeconds/,
    );
    expect(() => defineAsset({ key: 'a', retry: { maxRetries: 2, jitter: 'full' } })).toThrow(/jitter needs/);
  });
});

describe('AssetGraph', () => {
  // raw → stg → fct → daily, fct → monthly; seed → monthly; raw → monthly (a shortcut).
  const graph = new AssetGraph([
    asset('dbt/monthly', ['dbt/fct', 'dbt/seed', 'raw/sales']),
    asset('dbt/daily', ['dbt/fct']),
    asset('dbt/fct', ['dbt/stg']),
    asset('dbt/stg', ['raw/sales']),
    asset('dbt/seed'),
    asset('raw/sales'),
  ]);

  test('keys, parents and children, sorted', () => {
    expect(graph.keys()).toEqual(['dbt/daily', 'dbt/fct', 'dbt/monthly', 'dbt/seed', 'dbt/stg', 'raw/sales']);
    expect(graph.parents('dbt/monthly')).toEqual(['dbt/fct', 'dbt/seed', 'raw/sales']);
    expect(graph.children('raw/sales')).toEqual(['dbt/monthly', 'dbt/stg']);
    expect(graph.children('dbt/daily')).toEqual([]);
    expect(graph.roots()).toEqual(['dbt/seed', 'raw/sales']);
    expect(graph.sinks()).toEqual(['dbt/daily', 'dbt/monthly']);
  });

  test('ancestors and descendants, whole or up to a depth (shortest distance)', () => {
    expect(graph.ancestors('dbt/daily')).toEqual(['dbt/fct', 'dbt/stg', 'raw/sales']);
    expect(graph.ancestors('dbt/daily', 1)).toEqual(['dbt/fct']);
    expect(graph.descendants('raw/sales')).toEqual(['dbt/daily', 'dbt/fct', 'dbt/monthly', 'dbt/stg']);
    // monthly is one step from raw/sales by the shortcut, three by stg → fct.
    expect(graph.descendants('raw/sales', 1)).toEqual(['dbt/monthly', 'dbt/stg']);
    expect(graph.descendants('raw/sales', 0)).toEqual([]);
  });

  test('nodes() are plain selection nodes', () => {
    expect(graph.nodes().find((node) => node.key === 'dbt/stg')).toEqual({
      key: 'dbt/stg',
      deps: ['raw/sales'],
      group: 'default',
      kinds: [],
      tags: {},
      owners: [],
    });
  });

  test('an unknown key suggests the closest', () => {
    const error = errorOf(() => graph.get('dbt/fc'));
    expect(error.message).toBe('No asset has the key "dbt/fc".');
    expect(error.hint).toBe('Did you mean "dbt/fct"?');
  });

  test('two assets with one key', () => {
    expect(errorOf(() => new AssetGraph([asset('a'), asset('a')])).message).toBe('Two assets have the key "a".');
  });

  test('a dependency that is not an asset names it and the closest key', () => {
    const error = errorOf(
      () => new AssetGraph([asset('dbt/stg_sales'), asset('dbt/fct_sales', ['dbt/stg_sale', 'lake/nothing'])]),
    );
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toBe(
      'Asset "dbt/fct_sales" depends on "dbt/stg_sale", "lake/nothing", which are not assets of the graph.',
    );
    expect(error.hint).toBe('Did you mean "dbt/stg_sales" for "dbt/stg_sale"?');
  });

  test('a cycle is named in build order, its first asset repeated', () => {
    const error = errorOf(
      () => new AssetGraph([asset('ok'), asset('a', ['b', 'ok']), asset('b', ['c']), asset('c', ['a'])]),
    );
    expect(error.message).toBe('The assets depend on each other in a circle: a → c → b → a.');
    expect(errorOf(() => new AssetGraph([asset('self', ['self'])])).message).toMatch(/circle: self → self\./);
  });
});
