import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildManifest, model, type RuntimeFixture, runtimeFixture } from './helpers/runtime-nodes.ts';

// on_schema_change (§4.5) on an incremental run whose model now returns different
// columns: v1 returns (id, a, b integer), v2 returns (id, a, b varchar, c) and no longer d.
const v1 = "select 1 as id, 'a1' as a, 10 as b, 'd1' as d";
const v2 = "select 2 as id, 'a2' as a, '20' as b, 'c2' as c";

describe('on_schema_change', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('schema-change');
  });
  afterEach(() => fx.close());

  const build = (sql: string, mode: string) =>
    buildManifest(fx.project, [
      model({
        name: 'm',
        sql,
        config: { materialized: 'incremental', incremental_strategy: 'append', on_schema_change: mode },
      }),
    ]);
  const columns = () =>
    fx.rows(
      "select column_name as name, data_type as type from information_schema.columns where table_name = 'm' order by ordinal_position",
    );

  test('ignore: the table keeps its columns; a column the model dropped makes the insert fail', async () => {
    await fx.run(build(v1, 'ignore'));
    const { byName } = await fx.run(build(v2, 'ignore'));
    expect(byName.m?.status).toBe('error');
    expect(byName.m?.message).toMatch(/^Database Error in model m[\s\S]*"d"/);
    // Without a dropped column, new columns are silently left out and types cast.
    const same = "select 3 as id, 'a3' as a, 30 as b, 'd3' as d, 'new' as c";
    expect((await fx.run(build(same, 'ignore'))).byName.m?.status).toBe('success');
    expect(await columns()).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'a', type: 'VARCHAR' },
      { name: 'b', type: 'INTEGER' },
      { name: 'd', type: 'VARCHAR' },
    ]);
    expect(await fx.rows('select * from warehouse.main.m order by id')).toEqual([
      { id: 1, a: 'a1', b: 10, d: 'd1' },
      { id: 3, a: 'a3', b: 30, d: 'd3' },
    ]);
  });

  test('fail: dbt’s out-of-sync error listing the differences, and nothing written', async () => {
    await fx.run(build(v1, 'fail'));
    const { byName } = await fx.run(build(v2, 'fail'));
    expect(byName.m?.status).toBe('error');
    const message = byName.m?.message ?? '';
    expect(message).toMatch(
      /^Compilation Error in model m \(models\/m\.sql\)\n {2}The source and target schemas on this incremental model are out of sync!/,
    );
    expect(message).toContain("Source columns not in target: ['c']");
    expect(message).toContain("Target columns not in source: ['d']");
    expect(message).toContain("New column types: ['b': INTEGER → VARCHAR]");
    expect(await fx.rows('select id from warehouse.main.m')).toEqual([{ id: 1 }]);
  });

  test('append_new_columns: adds c, keeps d (NULL for new rows) and b’s type', async () => {
    await fx.run(build(v1, 'append_new_columns'));
    const { byName } = await fx.run(build(v2, 'append_new_columns'));
    expect(byName.m?.status).toBe('success');
    expect(await columns()).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'a', type: 'VARCHAR' },
      { name: 'b', type: 'INTEGER' },
      { name: 'd', type: 'VARCHAR' },
      { name: 'c', type: 'VARCHAR' },
    ]);
    expect(await fx.rows('select * from warehouse.main.m order by id')).toEqual([
      { id: 1, a: 'a1', b: 10, d: 'd1', c: null },
      { id: 2, a: 'a2', b: 20, d: null, c: 'c2' },
    ]);
  });

  test('sync_all_columns: adds c, drops d, changes b’s type', async () => {
    await fx.run(build(v1, 'sync_all_columns'));
    const { byName } = await fx.run(build(v2, 'sync_all_columns'));
    expect(byName.m?.status).toBe('success');
    expect(await columns()).toEqual([
      { name: 'id', type: 'INTEGER' },
      { name: 'a', type: 'VARCHAR' },
      { name: 'b', type: 'VARCHAR' },
      { name: 'c', type: 'VARCHAR' },
    ]);
    expect(await fx.rows('select * from warehouse.main.m order by id')).toEqual([
      { id: 1, a: 'a1', b: '10', c: null },
      { id: 2, a: 'a2', b: '20', c: 'c2' },
    ]);
  });

  test('an invalid value warns and behaves as ignore', async () => {
    await fx.run(build(v1, 'sometimes'));
    const { byName } = await fx.run(build("select 2 as id, 'a2' as a, 20 as b, 'd2' as d", 'sometimes'));
    expect(byName.m?.status).toBe('success');
    expect(byName.m?.message).toContain(
      'Invalid value for on_schema_change (sometimes) specified. Setting default value of ignore.',
    );
  });

  test('merge applies the change too (columns passed to the piece follow the table)', async () => {
    const merge = (sql: string) =>
      buildManifest(fx.project, [
        model({
          name: 'm',
          sql,
          config: {
            materialized: 'incremental',
            incremental_strategy: 'merge',
            unique_key: 'id',
            on_schema_change: 'append_new_columns',
          },
        }),
      ]);
    await fx.run(merge(v1));
    await fx.run(merge("select 1 as id, 'a1b' as a, 11 as b, 'd1b' as d, 'new' as c"));
    expect(await fx.rows('select * from warehouse.main.m')).toEqual([{ id: 1, a: 'a1b', b: 11, d: 'd1b', c: 'new' }]);
  });
});
