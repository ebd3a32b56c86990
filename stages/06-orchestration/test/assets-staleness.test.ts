import { describe, expect, test } from 'vitest';
import { AssetGraph } from '../src/assets/asset-graph.ts';
import { defineAsset } from '../src/assets/define-asset.ts';
import { staleness } from '../src/assets/staleness.ts';

const build = async () => ({ rows: 1 });
const graph = new AssetGraph([
  defineAsset({ key: 'raw/sales' }),
  defineAsset({ key: 'dbt/stg_sales', deps: ['raw/sales'], codeVersion: 'stg-2', materialize: build }),
  defineAsset({ key: 'dbt/fct_sales', deps: ['dbt/stg_sales'], codeVersion: 'fct-1', materialize: build }),
  defineAsset({ key: 'dbt/daily', deps: ['dbt/fct_sales'], materialize: build }),
]);

describe('staleness', () => {
  test('never built: missing; an external asset: fresh', () => {
    const state = staleness(graph, []);
    expect(state.get('dbt/stg_sales')).toEqual({ status: 'missing' });
    expect(state.get('raw/sales')).toEqual({ status: 'fresh' });
  });

  test('a dependency materialized later makes an asset stale, and only its children (not transitive)', () => {
    const state = staleness(graph, [
      { key: 'dbt/stg_sales', time: '2024-03-02T10:00:00Z', codeVersion: 'stg-2' },
      { key: 'dbt/fct_sales', time: '2024-03-01T10:00:00Z', codeVersion: 'fct-1' },
      { key: 'dbt/daily', time: '2024-03-01T11:00:00Z' },
    ]);
    expect(state.get('dbt/stg_sales')).toEqual({ status: 'fresh' });
    expect(state.get('dbt/fct_sales')).toEqual({
      status: 'stale',
      causes: [{ kind: 'data', reason: 'has a new dependency materialization', dependency: 'dbt/stg_sales' }],
    });
    expect(state.get('dbt/daily')).toEqual({ status: 'fresh' });
  });

  test('a materialization that changed nothing (unchanged) keeps its children fresh; the last real change still counts', () => {
    const fresh = staleness(graph, [
      { key: 'dbt/stg_sales', time: 1_000, codeVersion: 'stg-2' },
      { key: 'dbt/fct_sales', time: 2_000, codeVersion: 'fct-1' },
      { key: 'dbt/stg_sales', time: 3_000, codeVersion: 'stg-2', unchanged: true },
    ]);
    expect(fresh.get('dbt/stg_sales')).toEqual({ status: 'fresh' });
    expect(fresh.get('dbt/fct_sales')).toEqual({ status: 'fresh' });
    // A change at 2 500, after fct_sales was built at 2 000, then an unchanged one: stale.
    const stale = staleness(graph, [
      { key: 'dbt/fct_sales', time: 2_000, codeVersion: 'fct-1' },
      { key: 'dbt/stg_sales', time: 2_500, codeVersion: 'stg-2' },
      { key: 'dbt/stg_sales', time: 3_000, codeVersion: 'stg-2', unchanged: true },
    ]);
    expect(stale.get('dbt/fct_sales')).toMatchObject({ status: 'stale', causes: [{ dependency: 'dbt/stg_sales' }] });
  });

  test('an observation of an external asset counts as a new materialization', () => {
    const state = staleness(graph, [
      { key: 'dbt/stg_sales', time: 1_000, codeVersion: 'stg-2' },
      { key: 'raw/sales', time: 2_000 },
    ]);
    expect(state.get('dbt/stg_sales')).toMatchObject({ status: 'stale', causes: [{ dependency: 'raw/sales' }] });
  });

  test('a changed code version makes it stale; no declared version never does; the latest record counts', () => {
    const state = staleness(graph, [
      { key: 'dbt/stg_sales', time: '2024-03-01T09:00:00Z', codeVersion: 'stg-2' },
      { key: 'dbt/stg_sales', time: '2024-03-01T08:00:00Z', codeVersion: 'stg-1' },
      { key: 'dbt/fct_sales', time: '2024-03-01T10:00:00Z', codeVersion: 'fct-0' },
      { key: 'dbt/daily', time: '2024-03-01T11:00:00Z', codeVersion: 'whatever' },
    ]);
    expect(state.get('dbt/stg_sales')).toEqual({ status: 'fresh' });
    expect(state.get('dbt/fct_sales')).toEqual({
      status: 'stale',
      causes: [{ kind: 'code', reason: 'has a new code version', recorded: 'fct-0', current: 'fct-1' }],
    });
    expect(state.get('dbt/daily')).toEqual({ status: 'fresh' });
  });

  test('both causes at once; a bad time is an error', () => {
    const state = staleness(graph, [
      { key: 'dbt/stg_sales', time: '2024-03-02T00:00:00Z', codeVersion: 'stg-2' },
      { key: 'dbt/fct_sales', time: '2024-03-01T00:00:00Z' },
    ]);
    expect(state.get('dbt/fct_sales')).toMatchObject({ status: 'stale', causes: [{ kind: 'code' }, { kind: 'data' }] });
    expect(() => staleness(graph, [{ key: 'dbt/daily', time: 'soon' }])).toThrow(
      /"soon" \(for dbt\/daily\) is not a time/,
    );
  });
});
