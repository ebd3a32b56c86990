import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, MartPaths, MineScope, NotImplementedError } from '@mart/shared';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DagCycleError } from '../src/given/dag-cycle-error.ts';
import type { Manifest } from '../src/manifest/types.ts';
import { loadIncrementalPieces } from '../src/pieces.ts';
import type { DbtProject } from '../src/project/types.ts';
import {
  buildManifest,
  dataTest,
  model,
  type RuntimeFixture,
  runtimeFixture,
  seed,
  snapshot,
} from './helpers/runtime-nodes.ts';

// The scheduler: DAG order from the dagOrder piece, threads, skips, fail-fast, build.

/** A small project of every resource type: a seed, independent tables, a join, an incremental, a view, a snapshot, tests. */
function fullProject(project: DbtProject, dir: string): Manifest {
  mkdirSync(join(dir, 'seeds'), { recursive: true });
  const csv = join(dir, 'seeds', 'raw_numbers.csv');
  writeFileSync(csv, `n,label\n${Array.from({ length: 50 }, (_, i) => `${i},l${i % 7}`).join('\n')}\n`);
  return buildManifest(project, [
    seed({ name: 'raw_numbers', file: csv }),
    ...[1, 2, 3, 4].map((k) =>
      model({
        name: `part_${k}`,
        sql: `select n, label, n * ${k} as v from {{ ref('raw_numbers') }} cross join range(2000) where n % 4 = ${k - 1} qualify row_number() over (partition by n order by range) = 1`,
        config: { materialized: 'table' },
      }),
    ),
    model({
      name: 'joined',
      sql: "select a.n, a.v + b.v as v from {{ ref('part_1') }} a join {{ ref('part_2') }} b on a.label = b.label",
      config: { materialized: 'table' },
    }),
    model({
      name: 'incremental_sum',
      sql: "select n, sum(v) as total from {{ ref('joined') }} group by n",
      config: { materialized: 'incremental', unique_key: 'n', incremental_strategy: 'merge' },
    }),
    model({
      name: 'summary',
      sql: "select count(*) as parts from {{ ref('part_3') }} union all select count(*) from {{ ref('part_4') }}",
    }),
    snapshot({
      name: 'labels_snapshot',
      sql: "select n, label from {{ ref('part_3') }}",
      config: { strategy: 'check', check_cols: ['label'], unique_key: 'n' },
    }),
    dataTest({ name: 'not_null_part_1_n', sql: "select * from {{ ref('part_1') }} where n is null" }),
    dataTest({
      name: 'unique_joined',
      sql: "select n from {{ ref('incremental_sum') }} group by n having count(*) > 1",
    }),
  ]);
}

describe('executeNodes', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('execute');
  });
  afterEach(() => fx.close());

  test('threads > 1 runs independent nodes at once on their own connections, and builds the same tables as threads = 1', async () => {
    const other = await runtimeFixture('execute-1');
    try {
      const one = await other.run(fullProject(other.project, other.dir), { threads: 1 });
      const four = await fx.run(fullProject(fx.project, fx.dir), { threads: 4 });
      expect(four.results.map((r) => [r.node.name, r.status])).toEqual(one.results.map((r) => [r.node.name, r.status]));
      expect(four.results.every((r) => r.status === 'success' || r.status === 'pass')).toBe(true);
      // The four parts started before any of them finished, on four threads.
      const firstFinish = four.events.findIndex((e) => e.type === 'finished' && e.node.name.startsWith('part_'));
      const startedBefore = four.events
        .slice(0, firstFinish)
        .filter((e) => e.type === 'started' && e.node.name.startsWith('part_'));
      expect(startedBefore).toHaveLength(4);
      expect(new Set(four.results.map((r) => r.threadId))).toEqual(
        new Set(['Thread-1 (worker)', 'Thread-2 (worker)', 'Thread-3 (worker)', 'Thread-4 (worker)']),
      );
      expect(new Set(one.results.map((r) => r.threadId))).toEqual(new Set(['Thread-1 (worker)']));
      for (const table of [
        'raw_numbers',
        'part_1',
        'part_2',
        'part_3',
        'part_4',
        'joined',
        'incremental_sum',
        'summary',
      ]) {
        const sql = `select * from warehouse.main.${table} order by all`;
        expect(await fx.rows(sql)).toEqual(await other.rows(sql));
      }
      const snap = 'select n, label, dbt_valid_to from warehouse.main.labels_snapshot order by all';
      expect(await fx.rows(snap)).toEqual(await other.rows(snap));
    } finally {
      other.close();
    }
  });

  test('with threads = 1 the order is exactly the dagOrder piece’s; build runs each node’s tests before its dependents', async () => {
    const manifest = fullProject(fx.project, fx.dir);
    const order: string[] = [];
    const pieces = {
      ...fx.pieces,
      dagOrder: (nodes: Parameters<typeof fx.pieces.dagOrder>[0]) => {
        const result = fx.pieces.dagOrder(nodes);
        order.push(...result);
        return result;
      },
    };
    const { results } = await fx.run(manifest, { pieces });
    expect(results.map((r) => r.uniqueId)).toEqual(order);
    const at = (name: string) => results.findIndex((r) => r.node.name === name);
    expect(at('not_null_part_1_n')).toBeLessThan(at('joined'));
    expect(at('unique_joined')).toBeGreaterThan(at('incremental_sum'));
  });

  test('each command runs only its resource types', async () => {
    const manifest = fullProject(fx.project, fx.dir);
    const seeds = await fx.run(manifest, { command: 'seed' });
    expect(seeds.results.map((r) => r.node.resourceType)).toEqual(['seed']);
    const runs = await fx.run(manifest, { command: 'run' });
    expect(new Set(runs.results.map((r) => r.node.resourceType))).toEqual(new Set(['model']));
    const snaps = await fx.run(manifest, { command: 'snapshot' });
    expect(snaps.results.map((r) => r.node.name)).toEqual(['labels_snapshot']);
    const tests = await fx.run(manifest, { command: 'test' });
    expect(tests.results.map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  test('a dependency through an unselected node is kept: c waits for a even when b is not run', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'a', sql: 'select 1 as x from range(200000)', config: { materialized: 'table' } }),
      model({ name: 'b', sql: "select * from {{ ref('a') }}" }),
      model({
        name: 'c',
        sql: "select count(*) as n from warehouse.main.a -- {{ ref('b') }}",
        config: { materialized: 'table' },
      }),
    ]);
    const { results } = await fx.run(manifest, { threads: 4, selected: ['model.mart.a', 'model.mart.c'] });
    expect(results.map((r) => [r.node.name, r.status])).toEqual([
      ['a', 'success'],
      ['c', 'success'],
    ]);
    expect(await fx.rows('select n from warehouse.main.c')).toEqual([{ n: 200000 }]);
  });

  test('fail-fast: after the first failure nothing new starts; the rest are skipped saying why', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'a_bad', sql: 'select nope', config: { materialized: 'table' } }),
      model({ name: 'b_ok', sql: 'select 1 as x', config: { materialized: 'table' } }),
      model({ name: 'c_ok', sql: 'select 2 as x', config: { materialized: 'table' } }),
    ]);
    const { results } = await fx.run(manifest, { failFast: true });
    expect(results.map((r) => [r.node.name, r.status, r.message?.split('\n')[0]])).toEqual([
      ['a_bad', 'error', 'Database Error in model a_bad (models/a_bad.sql)'],
      ['b_ok', 'skipped', 'Skipped: --fail-fast stopped the run after model.mart.a_bad failed.'],
      ['c_ok', 'skipped', 'Skipped: --fail-fast stopped the run after model.mart.a_bad failed.'],
    ]);
    const without = await fx.run(manifest);
    expect(without.results.map((r) => r.status)).toEqual(['error', 'success', 'success']);
  });

  test('a cycle is the dagOrder piece’s DagCycleError, before anything runs', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'a', sql: "select * from {{ ref('b') }}" }),
      model({ name: 'b', sql: "select * from {{ ref('a') }}" }),
    ]);
    const run = fx.run(manifest);
    await expect(run).rejects.toBeInstanceOf(DagCycleError);
    await expect(run).rejects.toThrow('Found a cycle: model.mart.a --> model.mart.b --> model.mart.a');
  });

  test('an order from dagOrder that breaks a dependency is refused with a clear error', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'a', sql: 'select 1 as x' }),
      model({ name: 'b', sql: "select * from {{ ref('a') }}" }),
    ]);
    const pieces = { ...fx.pieces, dagOrder: () => ['model.mart.b', 'model.mart.a'] };
    const run = fx.run(manifest, { pieces });
    await expect(run).rejects.toBeInstanceOf(CliError);
    await expect(run).rejects.toThrow('dagOrder put model.mart.b before model.mart.a, which it depends on.');
    const dropping = { ...fx.pieces, dagOrder: () => ['model.mart.a'] };
    await expect(fx.run(manifest, { pieces: dropping })).rejects.toThrow('dagOrder left out model.mart.b.');
  });

  test('an exercise piece that fails is the node’s error, naming the piece and its SQL', async () => {
    const manifest = buildManifest(fx.project, [
      model({
        name: 'm',
        sql: 'select 1 as id, 2 as v',
        config: { materialized: 'incremental', unique_key: 'id', incremental_strategy: 'merge' },
      }),
    ]);
    await fx.run(manifest);
    const pieces = { ...fx.pieces, mergeSql: () => ['merge into nowhere using x on true when matched then delete'] };
    const { byName } = await fx.run(manifest, { pieces });
    expect(byName.m?.status).toBe('error');
    expect(byName.m?.message).toContain('in the SQL written by the mergeSql piece:\n    merge into nowhere');
    const throwing = {
      ...fx.pieces,
      mergeSql: () => {
        throw new CliError('Exercise 05-incremental/merge-sql is not implemented yet.', { hint: 'Write it.' });
      },
    };
    const second = await fx.run(manifest, { pieces: throwing });
    expect(second.byName.m?.message).toBe(
      'Runtime Error in model m (models/m.sql)\n  Exercise 05-incremental/merge-sql is not implemented yet.\n  Write it.',
    );
  });

  test('under --mine with untouched exercises, the run stops at the first piece with "not implemented yet"', async () => {
    const mine = await loadIncrementalPieces(MineScope.of(5), new MartPaths());
    const manifest = buildManifest(fx.project, [model({ name: 'a', sql: 'select 1 as x' })]);
    const run = fx.run(manifest, { pieces: mine });
    await expect(run).rejects.toBeInstanceOf(NotImplementedError);
    await expect(run).rejects.toThrow('Exercise 05-incremental/dag-order is not implemented yet.');
  });

  test('nothing selected: no results, nothing created', async () => {
    const manifest = buildManifest(fx.project, [model({ name: 'a', sql: 'select 1 as x' })]);
    expect((await fx.run(manifest, { selected: [] })).results).toEqual([]);
    expect(
      await fx.rows("select count(*)::int as n from information_schema.schemata where schema_name = '_mart_state'"),
    ).toEqual([{ n: 0 }]);
  });
});
