import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { NodeConfig } from '../src/manifest/types.ts';
import { buildManifest, type RuntimeFixture, runtimeFixture, snapshot } from './helpers/runtime-nodes.ts';

// SCD2 snapshots on a real DuckDB file: check and timestamp strategies, hard deletes.
const raw = 'warehouse.main.raw_customers';
const t1 = new Date('2024-03-01T00:00:00Z');
const t2 = new Date('2024-03-02T00:00:00Z');
const t3 = new Date('2024-03-03T00:00:00Z');
const t4 = new Date('2024-03-04T00:00:00Z');

describe('snapshots', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('snapshots');
    await fx.db.run(`create table ${raw} (id integer, city varchar, tier varchar, updated_at timestamp)`);
    await fx.db.run(
      `insert into ${raw} values (1, 'Oslo', 'gold', timestamp '2024-01-01'), (2, 'Rome', 'silver', timestamp '2024-01-01')`,
    );
  });
  afterEach(() => fx.close());

  const manifest = (config: Partial<NodeConfig>) =>
    buildManifest(fx.project, [
      snapshot({
        name: 'customers_snapshot',
        sql: `select * from ${raw}`,
        schema: 'snapshots',
        config: { unique_key: 'id', ...config },
      }),
    ]);
  const history = (extra = '') =>
    fx.rows(
      `select id, city, tier, dbt_valid_from, dbt_valid_to${extra} from warehouse.snapshots.customers_snapshot order by id, dbt_valid_from, dbt_valid_to nulls last`,
    );
  const check: Partial<NodeConfig> = { strategy: 'check', check_cols: ['city'] };

  test('check strategy: the first run creates the table with dbt’s columns; a change closes and adds a version', async () => {
    const first = await fx.run(manifest(check), { now: t1, command: 'snapshot' });
    expect(first.byName.customers_snapshot?.status).toBe('success');
    expect(
      await fx.rows(
        "select column_name from information_schema.columns where table_name = 'customers_snapshot' order by ordinal_position",
      ),
    ).toEqual(
      ['id', 'city', 'tier', 'updated_at', 'dbt_scd_id', 'dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map(
        (c) => ({ column_name: c }),
      ),
    );
    const [row] = await fx.rows(
      "select dbt_scd_id, md5(coalesce(cast(id as varchar), '') || '|' || coalesce(cast(timestamp '2024-03-01 00:00:00' as varchar), '')) as expected, dbt_updated_at from warehouse.snapshots.customers_snapshot where id = 1",
    );
    expect(row?.dbt_scd_id).toBe(row?.expected);
    expect(row?.dbt_updated_at).toBe('2024-03-01T00:00:00.000Z');

    await fx.db.run(`update ${raw} set city = 'Bergen', tier = 'platinum' where id = 1`);
    const second = await fx.run(manifest(check), { now: t2 });
    expect(second.byName.customers_snapshot?.rowsAffected).toBe(2);
    const expected = [
      {
        id: 1,
        city: 'Oslo',
        tier: 'gold',
        dbt_valid_from: '2024-03-01T00:00:00.000Z',
        dbt_valid_to: '2024-03-02T00:00:00.000Z',
      },
      { id: 1, city: 'Bergen', tier: 'platinum', dbt_valid_from: '2024-03-02T00:00:00.000Z', dbt_valid_to: null },
      { id: 2, city: 'Rome', tier: 'silver', dbt_valid_from: '2024-03-01T00:00:00.000Z', dbt_valid_to: null },
    ];
    expect(await history()).toEqual(expected);

    // Only check_cols count: a tier change alone makes no version. Re-running changes nothing.
    await fx.db.run(`update ${raw} set tier = 'bronze' where id = 2`);
    const third = await fx.run(manifest(check), { now: t3 });
    expect(third.byName.customers_snapshot?.rowsAffected).toBe(0);
    expect(await history()).toEqual(expected);
  });

  test('check_cols: all compares every source column (and a NULL becoming a value is a change)', async () => {
    await fx.run(manifest({ strategy: 'check', check_cols: 'all' }), { now: t1 });
    await fx.db.run(`update ${raw} set tier = null where id = 2`);
    await fx.run(manifest({ strategy: 'check', check_cols: 'all' }), { now: t2 });
    expect((await history()).filter((r) => r.id === 2).map((r) => r.tier)).toEqual(['silver', null]);
    await fx.run(manifest({ strategy: 'check', check_cols: 'all' }), { now: t3 });
    expect((await history()).filter((r) => r.id === 2)).toHaveLength(2);
  });

  test('timestamp strategy: a row changed when its updated_at is after the current version’s dbt_valid_from', async () => {
    const config = { strategy: 'timestamp', updated_at: 'updated_at' } as const;
    await fx.run(manifest(config), { now: t1 });
    expect((await history()).map((r) => r.dbt_valid_from)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-01-01T00:00:00.000Z',
    ]);
    // id 1 changes with a later updated_at; id 2 changes without touching updated_at (not seen).
    await fx.db.run(`update ${raw} set city = 'Bergen', updated_at = timestamp '2024-02-01' where id = 1`);
    await fx.db.run(`update ${raw} set city = 'Milan' where id = 2`);
    await fx.run(manifest(config), { now: t2 });
    const expected = [
      {
        id: 1,
        city: 'Oslo',
        tier: 'gold',
        dbt_valid_from: '2024-01-01T00:00:00.000Z',
        dbt_valid_to: '2024-02-01T00:00:00.000Z',
      },
      { id: 1, city: 'Bergen', tier: 'gold', dbt_valid_from: '2024-02-01T00:00:00.000Z', dbt_valid_to: null },
      { id: 2, city: 'Rome', tier: 'silver', dbt_valid_from: '2024-01-01T00:00:00.000Z', dbt_valid_to: null },
    ];
    expect(await history()).toEqual(expected);
    await fx.run(manifest(config), { now: t3 });
    expect(await history()).toEqual(expected);
    // A new entity appears with its own updated_at.
    await fx.db.run(`insert into ${raw} values (3, 'Kyiv', 'gold', timestamp '2024-02-15')`);
    await fx.run(manifest(config), { now: t3 });
    expect((await history()).filter((r) => r.id === 3)).toEqual([
      { id: 3, city: 'Kyiv', tier: 'gold', dbt_valid_from: '2024-02-15T00:00:00.000Z', dbt_valid_to: null },
    ]);
  });

  test('hard_deletes: ignore keeps a vanished entity current', async () => {
    await fx.run(manifest(check), { now: t1 });
    await fx.db.run(`delete from ${raw} where id = 2`);
    await fx.run(manifest(check), { now: t2 });
    expect((await history()).find((r) => r.id === 2)?.dbt_valid_to).toBeNull();
  });

  for (const [label, config] of [
    ['hard_deletes: invalidate', { hard_deletes: 'invalidate' }],
    ['invalidate_hard_deletes: true (legacy)', { invalidate_hard_deletes: true }],
  ] as const) {
    test(`${label} closes a vanished entity; when it comes back it gets a new version`, async () => {
      await fx.run(manifest({ ...check, ...config }), { now: t1 });
      await fx.db.run(`delete from ${raw} where id = 2`);
      await fx.run(manifest({ ...check, ...config }), { now: t2 });
      await fx.run(manifest({ ...check, ...config }), { now: t3 });
      expect((await history()).filter((r) => r.id === 2)).toEqual([
        {
          id: 2,
          city: 'Rome',
          tier: 'silver',
          dbt_valid_from: '2024-03-01T00:00:00.000Z',
          dbt_valid_to: '2024-03-02T00:00:00.000Z',
        },
      ]);
      await fx.db.run(`insert into ${raw} values (2, 'Rome', 'silver', timestamp '2024-01-01')`);
      await fx.run(manifest({ ...check, ...config }), { now: t4 });
      expect((await history()).filter((r) => r.id === 2).map((r) => [r.dbt_valid_from, r.dbt_valid_to])).toEqual([
        ['2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z'],
        ['2024-03-04T00:00:00.000Z', null],
      ]);
    });
  }

  test("hard_deletes: new_record adds a deletion record (dbt_is_deleted 'True'); a return closes it", async () => {
    for (const strategy of [check, { strategy: 'timestamp', updated_at: 'updated_at' }] as const) {
      await fx.db.run('drop schema if exists warehouse.snapshots cascade');
      await fx.db.run(
        `delete from ${raw}; insert into ${raw} values (1, 'Oslo', 'gold', timestamp '2024-01-01'), (2, 'Rome', 'silver', timestamp '2024-01-01')`,
      );
      const config = { ...strategy, hard_deletes: 'new_record' } as const;
      await fx.run(manifest(config), { now: t1 });
      await fx.db.run(`delete from ${raw} where id = 2`);
      await fx.run(manifest(config), { now: t2 });
      const deleted = [
        { id: 2, city: 'Rome', tier: 'silver', dbt_valid_to: '2024-03-02T00:00:00.000Z', dbt_is_deleted: 'False' },
        { id: 2, city: 'Rome', tier: 'silver', dbt_valid_to: null, dbt_is_deleted: 'True' },
      ];
      const of2 = async () =>
        (await history(', dbt_is_deleted')).filter((r) => r.id === 2).map(({ dbt_valid_from: _from, ...rest }) => rest);
      expect(await of2()).toEqual(deleted);
      expect((await history(', dbt_is_deleted')).find((r) => r.id === 1)?.dbt_is_deleted).toBe('False');
      await fx.run(manifest(config), { now: t3 });
      expect(await of2()).toEqual(deleted);
      // It comes back (unchanged): the deletion record is closed, a live version added.
      await fx.db.run(`insert into ${raw} values (2, 'Rome', 'silver', timestamp '2024-02-01')`);
      await fx.run(manifest(config), { now: t4 });
      const back = await of2();
      // (Sorted: with the timestamp strategy the new version is valid from its updated_at, before the deletion.)
      expect(back.map((r) => [r.dbt_is_deleted, r.dbt_valid_to === null]).sort()).toEqual([
        ['False', false],
        ['False', true],
        ['True', false],
      ]);
    }
  });

  test('duplicate or NULL unique_key values in the source are an error naming the keys; nothing is written', async () => {
    await fx.run(manifest(check), { now: t1 });
    const before = await history();
    await fx.db.run(
      `insert into ${raw} values (1, 'Paris', 'gold', timestamp '2024-01-01'), (null, 'Nowhere', null, null)`,
    );
    const { byName } = await fx.run(manifest(check), { now: t2 });
    expect(byName.customers_snapshot?.status).toBe('error');
    const message = byName.customers_snapshot?.message ?? '';
    expect(message).toContain('Runtime Error in snapshot customers_snapshot (snapshots/customers_snapshot.sql)');
    expect(message).toContain(
      "unique_key (id) of customers_snapshot must be unique and not NULL in the snapshot's source rows",
    );
    expect(message).toContain('1 key value appears more than once: 1 (2 rows)');
    expect(message).toContain('1 row has a NULL key');
    expect(await history()).toEqual(before);
  });

  test('a column the source gained is added to the snapshot', async () => {
    await fx.run(manifest(check), { now: t1 });
    await fx.db.run(`alter table ${raw} add column email varchar`);
    await fx.db.run(`update ${raw} set email = 'a@x', city = 'Bergen' where id = 1`);
    const { byName } = await fx.run(manifest(check), { now: t2 });
    expect(byName.customers_snapshot?.status).toBe('success');
    expect(
      await fx.rows('select id, email from warehouse.snapshots.customers_snapshot order by id, dbt_valid_from'),
    ).toEqual([
      { id: 1, email: null },
      { id: 1, email: 'a@x' },
      { id: 2, email: null },
    ]);
  });

  test.each([
    [{ strategy: null }, "Snapshots must be configured with a 'strategy' and 'unique_key'."],
    [
      { strategy: 'timestamp' },
      'A snapshot configured with the timestamp strategy must specify an updated_at configuration.',
    ],
    [
      { strategy: 'check', check_cols: 'city' },
      `Invalid value for 'check_cols': "city". Expected 'all' or a list of strings.`,
    ],
    [{ ...check, hard_deletes: 'sometimes' }, 'Invalid setting for property hard_deletes: sometimes.'],
    [
      { ...check, hard_deletes: 'new_record', invalidate_hard_deletes: true },
      'both invalidate_hard_deletes: true and hard_deletes: new_record',
    ],
    [{ ...check, check_cols: ['town'] }, "'town' is not a column of its query"],
  ])('config %j → %s', async (config, message) => {
    const { byName } = await fx.run(manifest(config as Partial<NodeConfig>), { now: t1 });
    expect(byName.customers_snapshot?.status).toBe('error');
    expect(byName.customers_snapshot?.message).toContain(message);
  });
});
