import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NodeConfig } from '../src/manifest/types.ts';
import { readRunState } from '../src/run/run-state.ts';
import { buildManifest, model, type RuntimeFixture, runtimeFixture } from './helpers/runtime-nodes.ts';

// Incremental models on real DuckDB files: every strategy on small tables, results exact.
const raw = 'warehouse.main.raw_orders';

/** An incremental model over raw_orders that, incrementally, reads only rows newer than the table's. */
function orders(config: Partial<NodeConfig>, sql?: string) {
  return model({
    name: 'orders',
    sql:
      sql ??
      `select id, status, amount, updated_at from ${raw}
       {% if is_incremental() %} where updated_at > (select max(updated_at) from {{ this }}) {% endif %}`,
    config: { materialized: 'incremental', ...config },
  });
}

describe('incremental models', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('incremental');
    await fx.db.run(`create table ${raw} (id integer, status varchar, amount integer, updated_at integer)`);
    await fx.db.run(`insert into ${raw} values (1, 'placed', 10, 1), (2, 'placed', 20, 1)`);
  });
  afterEach(() => fx.close());

  const table = () =>
    fx.rows('select id, status, amount, updated_at from warehouse.main.orders order by id, updated_at');

  test('the first run builds the whole table; is_incremental() is false until the table exists', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'append' })]);
    const { byName } = await fx.run(manifest);
    expect(byName.orders?.status).toBe('success');
    expect(byName.orders?.compiledCode).not.toContain('max(updated_at)');
    expect(await table()).toHaveLength(2);
    await fx.db.run(`insert into ${raw} values (3, 'placed', 30, 2)`);
    const second = await fx.run(manifest);
    expect(second.byName.orders?.compiledCode).toContain('max(updated_at)');
    expect(second.byName.orders?.rowsAffected).toBe(1);
    expect(second.byName.orders?.adapterResponse).toEqual({ _message: 'OK', rows_affected: 1 });
  });

  test('append inserts the new rows as they are', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'append' })]);
    await fx.run(manifest);
    await fx.db.run(`insert into ${raw} values (1, 'shipped', 10, 2), (3, 'placed', 30, 2)`);
    await fx.run(manifest);
    expect(await table()).toEqual([
      { id: 1, status: 'placed', amount: 10, updated_at: 1 },
      { id: 1, status: 'shipped', amount: 10, updated_at: 2 },
      { id: 2, status: 'placed', amount: 20, updated_at: 1 },
      { id: 3, status: 'placed', amount: 30, updated_at: 2 },
    ]);
  });

  test('merge upserts on the unique key (the mergeSql piece)', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'merge', unique_key: 'id' })]);
    await fx.run(manifest);
    await fx.db.run(`insert into ${raw} values (1, 'shipped', 11, 2), (3, 'placed', 30, 2)`);
    const { byName } = await fx.run(manifest);
    expect(byName.orders?.executedSql.some(({ sql }) => sql.startsWith('merge into "warehouse"."main"."orders"'))).toBe(
      true,
    );
    expect(await table()).toEqual([
      { id: 1, status: 'shipped', amount: 11, updated_at: 2 },
      { id: 2, status: 'placed', amount: 20, updated_at: 1 },
      { id: 3, status: 'placed', amount: 30, updated_at: 2 },
    ]);
  });

  test('delete+insert is the default with a unique_key (dbt-duckdb), and takes composite keys', async () => {
    await fx.db.run(`create table warehouse.main.raw_lines (sale_id integer, line integer, qty integer, v integer)`);
    await fx.db.run(`insert into warehouse.main.raw_lines values (1, 1, 5, 1), (1, 2, 6, 1), (2, 1, 7, 1)`);
    const manifest = buildManifest(fx.project, [
      model({
        name: 'lines',
        sql: `select * from warehouse.main.raw_lines {% if is_incremental() %} where v > (select max(v) from {{ this }}) {% endif %}`,
        config: { materialized: 'incremental', unique_key: ['sale_id', 'line'] },
      }),
    ]);
    await fx.run(manifest);
    await fx.db.run(`insert into warehouse.main.raw_lines values (1, 2, 60, 2), (3, 1, 8, 2)`);
    const { byName } = await fx.run(manifest);
    expect(byName.lines?.executedSql.some(({ sql }) => sql.startsWith('delete from "warehouse"."main"."lines"'))).toBe(
      true,
    );
    expect(await fx.rows('select sale_id, line, qty from warehouse.main.lines order by 1, 2')).toEqual([
      { sale_id: 1, line: 1, qty: 5 },
      { sale_id: 1, line: 2, qty: 60 },
      { sale_id: 2, line: 1, qty: 7 },
      { sale_id: 3, line: 1, qty: 8 },
    ]);
  });

  test('without a unique_key, delete+insert and merge insert every new row (dbt: MERGE … ON FALSE)', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'merge' })]);
    await fx.run(manifest);
    await fx.db.run(`insert into ${raw} values (1, 'shipped', 10, 2)`);
    await fx.run(manifest);
    expect(await table()).toHaveLength(3);
  });

  test('incremental_predicates reach the strategy: target rows outside them are not touched', async () => {
    const manifest = buildManifest(fx.project, [
      orders({
        incremental_strategy: 'delete+insert',
        unique_key: 'id',
        incremental_predicates: ['DBT_INTERNAL_DEST.updated_at >= 2'],
      }),
    ]);
    await fx.run(manifest);
    await fx.db.run(`insert into ${raw} values (1, 'shipped', 10, 2)`);
    const { byName } = await fx.run(manifest);
    expect(byName.orders?.executedSql.find(({ sql }) => sql.startsWith('delete'))?.sql).toContain(
      '(DBT_INTERNAL_DEST.updated_at >= 2)',
    );
    // The old version of id 1 (updated_at 1) is outside the predicate, so it stays.
    expect((await table()).filter((row) => row.id === 1)).toHaveLength(2);
  });

  test('NULL and duplicate unique_key values error, list the keys, and write nothing (merge and delete+insert)', async () => {
    for (const strategy of ['merge', 'delete+insert'] as const) {
      await fx.db.run('drop table if exists warehouse.main.orders');
      await fx.db.run(`delete from ${raw}`);
      await fx.db.run(`insert into ${raw} values (1, 'placed', 10, 1), (2, 'placed', 20, 1)`);
      const manifest = buildManifest(fx.project, [orders({ incremental_strategy: strategy, unique_key: 'id' })]);
      await fx.run(manifest);
      const before = await table();
      await fx.db.run(
        `insert into ${raw} values (1, 'shipped', 10, 2), (1, 'returned', 10, 2), (7, 'a', 1, 2), (7, 'b', 1, 2), (7, 'c', 1, 2),
           (null, 'x', 1, 2), (null, 'y', 1, 2), (9, 'ok', 1, 2)`,
      );
      const { byName } = await fx.run(manifest);
      const result = byName.orders;
      expect(result?.status).toBe('error');
      expect(result?.message).toContain('Runtime Error in model orders (models/orders.sql)');
      expect(result?.message).toContain(
        'unique_key (id) of orders must be unique and not NULL in the new rows, so nothing was written',
      );
      expect(result?.message).toContain('2 rows have a NULL key');
      expect(result?.message).toContain('2 key values appear more than once: 7 (3 rows), 1 (2 rows)');
      expect(await table()).toEqual(before);
    }
  });

  test('at most ten offending keys are listed', async () => {
    const manifest = buildManifest(fx.project, [
      model({
        name: 'dups',
        sql: 'select range % 15 as k from range(40)',
        config: { materialized: 'incremental', unique_key: 'k', incremental_strategy: 'merge' },
      }),
    ]);
    const { byName } = await fx.run(manifest);
    // Even the first build refuses duplicate keys: a merge later would hit them.
    expect(byName.dups?.status).toBe('error');
    const line = byName.dups?.message?.split('\n').find((l) => l.includes('appear more than once')) ?? '';
    expect(line).toContain('15 key values appear more than once');
    expect(line.split('),').length).toBe(10);
    expect(await fx.rows("select count(*)::int as n from information_schema.tables where table_name = 'dups'")).toEqual(
      [{ n: 0 }],
    );
  });

  test('delete+insert by partition: allow_duplicate_keys lets a key hold many rows (NULLs still refused)', async () => {
    await fx.db.run('create table warehouse.main.raw_sales (day integer, amount integer)');
    await fx.db.run('insert into warehouse.main.raw_sales values (1, 5), (1, 6), (2, 7)');
    const manifest = buildManifest(fx.project, [
      model({
        name: 'sales',
        sql: `select * from warehouse.main.raw_sales {% if is_incremental() %} where day is null or day >= 2 {% endif %}`,
        config: {
          materialized: 'incremental',
          unique_key: 'day',
          incremental_strategy: 'delete+insert',
          allow_duplicate_keys: true,
        },
      }),
    ]);
    await fx.run(manifest);
    await fx.db.run('insert into warehouse.main.raw_sales values (2, 8), (3, 9)');
    const { byName } = await fx.run(manifest);
    expect(byName.sales?.status).toBe('success');
    expect(await fx.rows('select * from warehouse.main.sales order by 1, 2')).toEqual([
      { day: 1, amount: 5 },
      { day: 1, amount: 6 },
      { day: 2, amount: 7 },
      { day: 2, amount: 8 },
      { day: 3, amount: 9 },
    ]);
    await fx.db.run('insert into warehouse.main.raw_sales values (null, 1)');
    expect((await fx.run(manifest)).byName.sales?.message).toContain('1 row has a NULL key');
  });

  test('--full-refresh rebuilds from scratch; full_refresh: false in the config wins over the flag', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'append' })]);
    await fx.run(manifest);
    await fx.db.run(`update ${raw} set amount = 99 where id = 1`);
    await fx.run(manifest, { fullRefresh: true });
    expect((await table()).map((row) => row.amount)).toEqual([99, 20]);

    const pinned = buildManifest(fx.project, [orders({ incremental_strategy: 'append', full_refresh: false })]);
    await fx.db.run(`update ${raw} set amount = 100 where id = 1`);
    const { byName } = await fx.run(pinned, { fullRefresh: true });
    expect(byName.orders?.compiledCode).toContain('max(updated_at)');
    expect((await table()).map((row) => row.amount)).toEqual([99, 20]);
  });

  test('a view in the incremental model’s place is replaced by a full build', async () => {
    await fx.db.run('create view warehouse.main.orders as select 1 as id');
    const { byName } = await fx.run(buildManifest(fx.project, [orders({ incremental_strategy: 'append' })]));
    expect(byName.orders?.compiledCode).not.toContain('max(updated_at)');
    expect(await table()).toHaveLength(2);
  });

  test('an invalid strategy is a Compilation Error', async () => {
    const { byName } = await fx.run(buildManifest(fx.project, [orders({ incremental_strategy: 'upsert' })]));
    expect(byName.orders?.message).toBe(
      "Compilation Error in model orders (models/orders.sql)\n  Invalid incremental strategy provided: upsert\n    Expected one of: 'append', 'merge', 'delete+insert', 'microbatch'",
    );
  });
});

describe('run state', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('run-state');
    await fx.db.run(`create table ${raw} (id integer, status varchar, amount integer, updated_at integer)`);
    await fx.db.run(`insert into ${raw} values (1, 'placed', 10, 1), (2, 'placed', 20, 1)`);
  });
  afterEach(() => fx.close());

  test('each build records fingerprints and times; an incremental run keeps the full build’s fingerprints', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'merge', unique_key: 'id' })]);
    await fx.run(manifest, { now: new Date('2024-03-01T00:00:00Z') });
    const [first] = await readRunState(fx.db, 'warehouse', 'model.mart.orders');
    expect(first).toMatchObject({
      relation: '"warehouse"."main"."orders"',
      materialized: 'incremental',
      watermark: null,
      builtAt: '2024-03-01T00:00:00.000000Z',
      lastFullRefreshAt: '2024-03-01T00:00:00.000000Z',
    });
    expect(first?.sqlFingerprint).toMatch(/^[0-9a-f]{64}$/);
    await fx.run(manifest, { now: new Date('2024-03-02T00:00:00Z') });
    const [second] = await readRunState(fx.db, 'warehouse', 'model.mart.orders');
    expect(second).toEqual({ ...first, builtAt: '2024-03-02T00:00:00.000000Z' });
  });

  test('a model whose SQL or config changed since its last full build gets a warning suggesting --full-refresh', async () => {
    await fx.run(buildManifest(fx.project, [orders({ incremental_strategy: 'merge', unique_key: 'id' })]));
    const same = await fx.run(buildManifest(fx.project, [orders({ incremental_strategy: 'merge', unique_key: 'id' })]));
    expect(same.byName.orders?.message).toBe('OK');

    const changedSql = buildManifest(fx.project, [
      orders(
        { incremental_strategy: 'merge', unique_key: 'id' },
        `select id, status, amount * 2 as amount, updated_at from ${raw}
         {% if is_incremental() %} where updated_at > (select max(updated_at) from {{ this }}) {% endif %}`,
      ),
    ]);
    const { byName } = await fx.run(changedSql);
    expect(byName.orders?.status).toBe('success');
    expect(byName.orders?.warnings).toHaveLength(1);
    expect(byName.orders?.message).toMatch(
      /^OK\nWarning: the SQL of orders changed since its last full build \(2024-03-05 12:00:00 UTC\);/,
    );
    expect(byName.orders?.message).toContain('--full-refresh');
    const config = await fx.run(
      buildManifest(fx.project, [orders({ incremental_strategy: 'merge', unique_key: ['id', 'status'] })]),
    );
    expect(config.byName.orders?.message).toContain('the config of orders changed');
    // After a full refresh the warning is gone.
    await fx.run(changedSql, { fullRefresh: true });
    expect((await fx.run(changedSql)).byName.orders?.message).toBe('OK');
  });

  test('with on_schema_change: fail, a changed schema fails as dbt does', async () => {
    await fx.run(buildManifest(fx.project, [orders({ on_schema_change: 'fail' })]));
    const changed = buildManifest(fx.project, [
      orders({ on_schema_change: 'fail' }, `select id, amount, 'x' as extra, updated_at from ${raw}`),
    ]);
    const { byName } = await fx.run(changed);
    expect(byName.orders?.status).toBe('error');
    expect(byName.orders?.message).toContain(
      'The source and target schemas on this incremental model are out of sync!',
    );
  });

  test('state changes with the model only: a failing incremental run leaves it as it was', async () => {
    const manifest = buildManifest(fx.project, [orders({ incremental_strategy: 'merge', unique_key: 'id' })]);
    await fx.run(manifest);
    const before = await readRunState(fx.db, 'warehouse');
    await fx.db.run(`insert into ${raw} values (5, 'a', 1, 9), (5, 'b', 1, 9)`);
    const { byName } = await fx.run(manifest, { now: new Date('2025-01-01T00:00:00Z') });
    expect(byName.orders?.status).toBe('error');
    expect(await readRunState(fx.db, 'warehouse')).toEqual(before);
  });

  test('a model with event_time records the newest event time as its watermark', async () => {
    const manifest = buildManifest(fx.project, [
      model({
        name: 'events',
        sql: "select * from (values (timestamp '2024-03-01 10:00:00', 1), (timestamp '2024-03-04 08:30:00', 2)) t(happened_at, n)",
        config: { materialized: 'incremental', event_time: 'happened_at' },
      }),
    ]);
    const { byName } = await fx.run(manifest);
    expect(byName.events?.message).toBe('OK');
    const [state] = await readRunState(fx.db, 'warehouse', 'model.mart.events');
    expect(state?.watermark).toBe('2024-03-04T08:30:00Z');
  });
});

describe('incremental runs equal a full refresh', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('invariant');
    await fx.db.run(
      'create table warehouse.main.raw_sales (sale_id integer, day integer, amount integer, version integer, loaded_at integer)',
    );
  });
  afterEach(() => fx.close());

  const latest = `select sale_id, day, amount, loaded_at from warehouse.main.raw_sales
    qualify row_number() over (partition by sale_id order by version desc) = 1`;
  const models = () =>
    buildManifest(fx.project, [
      model({
        name: 'sales_merge',
        sql: `select * from (${latest}) s
          {% if is_incremental() %} where loaded_at > (select max(loaded_at) from {{ this }}) {% endif %}`,
        config: { materialized: 'incremental', incremental_strategy: 'merge', unique_key: 'sale_id' },
      }),
      model({
        name: 'daily_totals',
        sql: `select day, sum(amount) as total, max(loaded_at) as loaded_at from (${latest}) s
          {% if is_incremental() %}
          where day in (select day from warehouse.main.raw_sales where loaded_at > (select max(loaded_at) from {{ this }}))
          {% endif %}
          group by day`,
        config: { materialized: 'incremental', incremental_strategy: 'delete+insert', unique_key: 'day' },
      }),
      model({ name: 'sales_full', sql: latest, config: { materialized: 'table' } }),
      model({
        name: 'daily_full',
        sql: `select day, sum(amount) as total, max(loaded_at) as loaded_at from (${latest}) s group by day`,
        config: { materialized: 'table' },
      }),
    ]);

  test('daily batches with late and corrected rows: after every run, merge and delete+insert equal the full build', async () => {
    let state = 7;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    let saleId = 0;
    const versions = new Map<number, { day: number; version: number }>();
    for (let run = 1; run <= 6; run++) {
      const rows: string[] = [];
      for (let i = 0; i < 4; i++) {
        saleId++;
        versions.set(saleId, { day: run, version: 1 });
        rows.push(`(${saleId}, ${run}, ${1 + next(50)}, 1, ${run})`);
      }
      // A late sale of an earlier day, and corrections of earlier sales.
      if (run > 1) {
        saleId++;
        const day = 1 + next(run - 1);
        versions.set(saleId, { day, version: 1 });
        rows.push(`(${saleId}, ${day}, ${1 + next(50)}, 1, ${run})`);
        for (let c = 0; c < 2; c++) {
          const id = 1 + next(saleId - 1);
          const sale = versions.get(id) as { day: number; version: number };
          sale.version++;
          rows.push(`(${id}, ${sale.day}, ${1 + next(50)}, ${sale.version}, ${run})`);
        }
      }
      await fx.db.run(`insert into warehouse.main.raw_sales values ${rows.join(', ')}`);
      const { results } = await fx.run(models(), { threads: 2 });
      expect(results.every((r) => r.status === 'success')).toBe(true);
      expect(await fx.rows('select * from warehouse.main.sales_merge order by all')).toEqual(
        await fx.rows('select * from warehouse.main.sales_full order by all'),
      );
      expect(await fx.rows('select * from warehouse.main.daily_totals order by all')).toEqual(
        await fx.rows('select * from warehouse.main.daily_full order by all'),
      );
      // Re-running the same batch changes nothing.
      const before = await fx.rows('select * from warehouse.main.daily_totals order by all');
      await fx.run(models());
      expect(await fx.rows('select * from warehouse.main.daily_totals order by all')).toEqual(before);
    }
  });
});
