import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildManifest, model, type RuntimeFixture, runtimeFixture } from './helpers/runtime-nodes.ts';

// view, table and ephemeral models on a real DuckDB file: built into a temporary
// relation and swapped in inside one transaction.
describe('view, table and ephemeral models', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('materialize');
  });
  afterEach(() => fx.close());

  test('a table and a view over it are built, in dependency order, with dbt-shaped results', async () => {
    const manifest = buildManifest(fx.project, [
      model({
        name: 'orders',
        sql: 'select * from (values (1, 10), (2, 20), (3, 30)) t(id, amount)',
        config: { materialized: 'table' },
      }),
      model({ name: 'big_orders', sql: "select id from {{ ref('orders') }} where amount > 15" }),
    ]);
    const { results, byName, events } = await fx.run(manifest, { command: 'run' });
    expect(results.map((r) => [r.node.name, r.status])).toEqual([
      ['orders', 'success'],
      ['big_orders', 'success'],
    ]);
    expect(await fx.rows('select * from warehouse.main.big_orders order by id')).toEqual([{ id: 2 }, { id: 3 }]);
    const orders = byName.orders;
    expect(orders?.rowsAffected).toBe(3);
    expect(orders?.adapterResponse).toEqual({ _message: 'OK', rows_affected: 3 });
    expect(orders?.message).toBe('OK');
    expect(orders?.relationName).toBe('"warehouse"."main"."orders"');
    expect(orders?.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(orders?.threadId).toBe('Thread-1 (worker)');
    expect(orders?.compiledCode).toContain('values (1, 10)');
    expect(byName.big_orders?.rowsAffected).toBeNull();
    // The view is a view, the table a table; no __dbt_tmp relation is left behind.
    expect(
      await fx.rows(
        "select table_name, table_type from information_schema.tables where table_schema = 'main' order by 1",
      ),
    ).toEqual([
      { table_name: 'big_orders', table_type: 'VIEW' },
      { table_name: 'orders', table_type: 'BASE TABLE' },
    ]);
    expect(events.map((e) => `${e.type} ${e.node.name}`)).toEqual([
      'started orders',
      'finished orders',
      'started big_orders',
      'finished big_orders',
    ]);
  });

  test('the swap happens in one transaction: statements create __dbt_tmp, drop the old, rename', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 't', sql: 'select 1 as x', config: { materialized: 'table' } }),
    ]);
    await fx.run(manifest);
    const { byName } = await fx.run(manifest);
    expect(byName.t?.executedSql.slice(0, 3).map((statement) => statement.sql)).toEqual([
      'create table "warehouse"."main"."t__dbt_tmp" as (\nselect 1 as x\n)',
      'drop table if exists "warehouse"."main"."t"',
      'alter table "warehouse"."main"."t__dbt_tmp" rename to "t"',
    ]);
  });

  test('a failing model keeps its previous version exactly, errors like dbt, and skips its descendants', async () => {
    const good = buildManifest(fx.project, [
      model({ name: 'base', sql: "select 1 as id, 'old' as version", config: { materialized: 'table' } }),
      model({ name: 'child', sql: "select * from {{ ref('base') }}", config: { materialized: 'table' } }),
      model({ name: 'grandchild', sql: "select * from {{ ref('child') }}" }),
      model({ name: 'other', sql: 'select 42 as answer', config: { materialized: 'table' } }),
    ]);
    await fx.run(good);
    const bad = buildManifest(fx.project, [
      model({
        name: 'base',
        sql: "select 2 as id, 'new' as version, no_such_column",
        config: { materialized: 'table' },
      }),
      model({ name: 'child', sql: "select * from {{ ref('base') }}", config: { materialized: 'table' } }),
      model({ name: 'grandchild', sql: "select * from {{ ref('child') }}" }),
      model({ name: 'other', sql: 'select 43 as answer', config: { materialized: 'table' } }),
    ]);
    const { byName } = await fx.run(bad);
    expect(byName.base?.status).toBe('error');
    expect(byName.base?.message).toMatch(
      /^Database Error in model base \(models\/base\.sql\)\n {2}Binder Error: Referenced column "no_such_column" was not found/,
    );
    expect(byName.base?.message).toContain('\n  compiled code at target/run/mart/models/base.sql');
    expect(byName.base?.timing.map((t) => t.name)).toEqual(['compile']);
    expect(byName.child?.status).toBe('skipped');
    expect(byName.child?.message).toBe('Skipped because model.mart.base failed with an error.');
    expect(byName.child?.timing).toEqual([]);
    expect(byName.grandchild?.status).toBe('skipped');
    expect(byName.grandchild?.message).toBe('Skipped because model.mart.base failed with an error.');
    expect(byName.other?.status).toBe('success');
    // The old version, untouched, and no leftover intermediate.
    expect(await fx.rows('select * from warehouse.main.base')).toEqual([{ id: 1, version: 'old' }]);
    expect(await fx.rows('select * from warehouse.main.child')).toEqual([{ id: 1, version: 'old' }]);
    expect(await fx.rows('select * from warehouse.main.other')).toEqual([{ answer: 43 }]);
    expect(await fx.rows("select table_name from information_schema.tables where table_name like '%dbt_tmp%'")).toEqual(
      [],
    );
  });

  test('a table can replace a view of the same name and back', async () => {
    await fx.run(buildManifest(fx.project, [model({ name: 'm', sql: 'select 1 as x' })]));
    await fx.run(
      buildManifest(fx.project, [model({ name: 'm', sql: 'select 2 as x', config: { materialized: 'table' } })]),
    );
    expect(await fx.rows("select table_type from information_schema.tables where table_name = 'm'")).toEqual([
      { table_type: 'BASE TABLE' },
    ]);
    await fx.run(buildManifest(fx.project, [model({ name: 'm', sql: 'select 3 as x' })]));
    expect(await fx.rows("select table_type from information_schema.tables where table_name = 'm'")).toEqual([
      { table_type: 'VIEW' },
    ]);
    expect(await fx.rows('select * from warehouse.main.m')).toEqual([{ x: 3 }]);
  });

  test('schemas are created when missing', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'in_marts', sql: 'select 1 as x', schema: 'main_marts', config: { materialized: 'table' } }),
    ]);
    const { byName } = await fx.run(manifest);
    expect(byName.in_marts?.relationName).toBe('"warehouse"."main_marts"."in_marts"');
    expect(await fx.rows('select * from warehouse.main_marts.in_marts')).toEqual([{ x: 1 }]);
  });

  test('ephemeral models are never executed, and their dependents still wait for what they read', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'base', sql: 'select 5 as x', config: { materialized: 'table' } }),
      model({ name: 'eph', sql: "select x * 2 as y from {{ ref('base') }}", config: { materialized: 'ephemeral' } }),
      // The seam's compiler does not inline ephemerals; reading base stands in for the CTE.
      model({
        name: 'uses_eph',
        sql: "select x * 2 as y from {{ ref('base') }} -- {{ ref('eph') }}",
        config: { materialized: 'table' },
      }),
    ]);
    const { results } = await fx.run(manifest, { threads: 4 });
    expect(results.map((r) => r.node.name)).toEqual(['base', 'uses_eph']);
    expect(await fx.rows("select count(*)::int as n from information_schema.tables where table_name = 'eph'")).toEqual([
      { n: 0 },
    ]);
    expect(await fx.rows('select * from warehouse.main.uses_eph')).toEqual([{ y: 10 }]);
  });

  test('an unsupported materialization and a compilation error are node errors, not crashes', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'mv', sql: 'select 1 as x', config: { materialized: 'materialized_view' } }),
      model({ name: 'broken', sql: '{{ unknown_macro() }}', config: { materialized: 'table' } }),
    ]);
    const { byName } = await fx.run(manifest);
    expect(byName.mv?.message).toBe(
      "Compilation Error in model mv (models/mv.sql)\n  Materialization 'materialized_view' is not supported by this runner.\n  Use view, table, incremental or ephemeral.",
    );
    expect(byName.broken?.status).toBe('error');
    expect(byName.broken?.message).toMatch(
      /^Compilation Error in model broken \(models\/broken\.sql\)\n {2}fake compiler/,
    );
    expect(byName.broken?.timing).toEqual([]);
  });

  test('pre- and post-hooks run inside the model’s transaction, {{ this }} filled in', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'log', sql: 'select 0 as n', config: { materialized: 'table' } }),
      model({
        name: 'hooked',
        sql: "select 7 as x -- {{ ref('log') }}",
        config: {
          materialized: 'table',
          'pre-hook': ['insert into warehouse.main.log values (1)'],
          'post-hook': ['insert into warehouse.main.log select x from {{ this }}'],
        },
      }),
    ]);
    await fx.run(manifest);
    expect(await fx.rows('select n from warehouse.main.log order by n')).toEqual([{ n: 0 }, { n: 1 }, { n: 7 }]);
  });
});
