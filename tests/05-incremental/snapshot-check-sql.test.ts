import { Database } from '@mart/shared';
import { type SnapshotCheckOptions, scdIdSql } from '@mart/stage-05-incremental/given';
import { snapshotCheckSql } from '@mart/track/05-incremental';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { applyAndRead } from '../helpers/incremental.ts';

const jan = "TIMESTAMP '2024-01-01 00:00:00'";
const feb = "TIMESTAMP '2024-02-01 00:00:00'";
const mar = "TIMESTAMP '2024-03-01 00:00:00'";

type Version = {
  customer_id: string;
  city: string | null;
  segment: string;
  dbt_valid_from: string;
  dbt_valid_to: string | null;
};

describe('snapshot-check-sql', () => {
  let db: Database;
  beforeEach(async () => {
    db = await Database.open(':memory:');
    // The snapshot after its first run (January): one current version per customer.
    await db.run(`
      create table customers_snapshot as
      select customer_id, city, segment,
             ${scdIdSql(['customer_id'], jan)} as dbt_scd_id,
             ${jan} as dbt_updated_at, ${jan} as dbt_valid_from, null::timestamp as dbt_valid_to
        from (values ('C1', 'Paris', 'Consumer'), ('C2', 'Rome', 'Corporate'), ('C3', 'Oslo', 'Consumer'))
             v(customer_id, city, segment)`);
  });
  afterEach(() => db?.close());

  const options = (now: string, overrides: Partial<SnapshotCheckOptions> = {}): SnapshotCheckOptions => ({
    snapshot: '"customers_snapshot"',
    source: '"current_customers"',
    uniqueKey: ['customer_id'],
    checkCols: ['city', 'segment'],
    columns: ['customer_id', 'city', 'segment'],
    now,
    ...overrides,
  });

  const history = async (): Promise<Version[]> =>
    db.all<Version>(
      'select customer_id, city, segment, dbt_valid_from, dbt_valid_to from customers_snapshot order by customer_id, dbt_valid_from',
    );

  async function source(rows: string): Promise<void> {
    await db.run('drop table if exists current_customers');
    await db.run(`create temp table current_customers as select * from (values ${rows}) v(customer_id, city, segment)`);
  }

  test('a customer who moved: the old version is closed at now, a new current version starts at now', async () => {
    await source("('C1', 'Lyon', 'Consumer'), ('C2', 'Rome', 'Corporate'), ('C3', 'Oslo', 'Consumer')");
    await applyAndRead(db, snapshotCheckSql(options(feb)), 'customers_snapshot');
    expect(await history()).toEqual([
      {
        customer_id: 'C1',
        city: 'Paris',
        segment: 'Consumer',
        dbt_valid_from: '2024-01-01T00:00:00.000Z',
        dbt_valid_to: '2024-02-01T00:00:00.000Z',
      },
      {
        customer_id: 'C1',
        city: 'Lyon',
        segment: 'Consumer',
        dbt_valid_from: '2024-02-01T00:00:00.000Z',
        dbt_valid_to: null,
      },
      {
        customer_id: 'C2',
        city: 'Rome',
        segment: 'Corporate',
        dbt_valid_from: '2024-01-01T00:00:00.000Z',
        dbt_valid_to: null,
      },
      {
        customer_id: 'C3',
        city: 'Oslo',
        segment: 'Consumer',
        dbt_valid_from: '2024-01-01T00:00:00.000Z',
        dbt_valid_to: null,
      },
    ]);
  });

  test('a new customer gets a first version; the same source run again changes nothing', async () => {
    await source(
      "('C1', 'Paris', 'Consumer'), ('C2', 'Rome', 'Corporate'), ('C3', 'Oslo', 'Consumer'), ('C4', 'Bern', 'Consumer')",
    );
    const once = await applyAndRead(db, snapshotCheckSql(options(feb)), 'customers_snapshot');
    expect(once).toHaveLength(4);
    expect(once.find((row) => row.customer_id === 'C4')).toMatchObject({ city: 'Bern', dbt_valid_to: null });
    const twice = await applyAndRead(db, snapshotCheckSql(options(mar)), 'customers_snapshot');
    expect(twice).toEqual(once);
  });

  test('only the check columns count: a change elsewhere makes no version', async () => {
    await db.run('alter table customers_snapshot add column email varchar');
    await db.run("update customers_snapshot set email = 'old@example.com'");
    await db.run('drop table if exists current_customers');
    await db.run(`create temp table current_customers as select * from (values
      ('C1', 'Paris', 'Consumer', 'new@example.com'), ('C2', 'Rome', 'Corporate', 'old@example.com'), ('C3', 'Oslo', 'Consumer', 'old@example.com'))
      v(customer_id, city, segment, email)`);
    await applyAndRead(
      db,
      snapshotCheckSql(options(feb, { columns: ['customer_id', 'city', 'segment', 'email'] })),
      'customers_snapshot',
    );
    expect(await db.value<number>('select count(*)::int from customers_snapshot')).toBe(3);
  });

  test('NULLs count: a city becoming NULL, and NULL becoming a city, are changes', async () => {
    await source("('C1', NULL, 'Consumer'), ('C2', 'Rome', 'Corporate'), ('C3', 'Oslo', 'Consumer')");
    await applyAndRead(db, snapshotCheckSql(options(feb)), 'customers_snapshot');
    await source("('C1', 'Nice', 'Consumer'), ('C2', 'Rome', 'Corporate'), ('C3', 'Oslo', 'Consumer')");
    await applyAndRead(db, snapshotCheckSql(options(mar)), 'customers_snapshot');
    expect(
      (await history()).filter((row) => row.customer_id === 'C1').map((row) => [row.city, row.dbt_valid_to]),
    ).toEqual([
      ['Paris', '2024-02-01T00:00:00.000Z'],
      [null, '2024-03-01T00:00:00.000Z'],
      ['Nice', null],
    ]);
  });

  test('two changes over time: three versions, each closed exactly when the next starts, one current', async () => {
    await source("('C2', 'Rome', 'Consumer'), ('C1', 'Paris', 'Consumer'), ('C3', 'Oslo', 'Consumer')");
    await applyAndRead(db, snapshotCheckSql(options(feb)), 'customers_snapshot');
    await source("('C2', 'Milan', 'Consumer'), ('C1', 'Paris', 'Consumer'), ('C3', 'Oslo', 'Consumer')");
    await applyAndRead(db, snapshotCheckSql(options(mar)), 'customers_snapshot');
    const c2 = (await history()).filter((row) => row.customer_id === 'C2');
    expect(c2.map((row) => [row.city, row.segment, row.dbt_valid_from, row.dbt_valid_to])).toEqual([
      ['Rome', 'Corporate', '2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ['Rome', 'Consumer', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['Milan', 'Consumer', '2024-03-01T00:00:00.000Z', null],
    ]);
  });

  test("new versions carry dbt's scd id (md5 of the key and the time) and dbt_updated_at = now", async () => {
    await source("('C1', 'Lyon', 'Consumer'), ('C2', 'Rome', 'Corporate'), ('C3', 'Oslo', 'Consumer')");
    await applyAndRead(db, snapshotCheckSql(options(feb)), 'customers_snapshot');
    const [row] = await db.all<{ dbt_scd_id: string; expected: string; dbt_updated_at: string }>(
      `select dbt_scd_id, md5('C1|2024-02-01 00:00:00') as expected, dbt_updated_at
         from customers_snapshot where customer_id = 'C1' and dbt_valid_to is null`,
    );
    expect(row).toEqual({
      dbt_scd_id: row?.expected,
      expected: row?.expected,
      dbt_updated_at: '2024-02-01T00:00:00.000Z',
    });
  });

  test('a key of two columns', async () => {
    await db.run(`create table store_managers as
      select store_id, region, manager, ${scdIdSql(['store_id', 'region'], jan)} as dbt_scd_id,
             ${jan} as dbt_updated_at, ${jan} as dbt_valid_from, null::timestamp as dbt_valid_to
        from (values ('S1', 'North', 'Ann'), ('S1', 'South', 'Bob')) v(store_id, region, manager);
      create temp table managers_now as select * from (values ('S1', 'North', 'Ann'), ('S1', 'South', 'Cy')) v(store_id, region, manager);`);
    const rows = await applyAndRead(
      db,
      snapshotCheckSql({
        snapshot: '"store_managers"',
        source: '"managers_now"',
        uniqueKey: ['store_id', 'region'],
        checkCols: ['manager'],
        columns: ['store_id', 'region', 'manager'],
        now: feb,
      }),
      'store_managers',
    );
    expect(rows.map((row) => [row.region, row.manager, row.dbt_valid_to])).toEqual([
      ['North', 'Ann', null],
      ['South', 'Bob', '2024-02-01T00:00:00.000Z'],
      ['South', 'Cy', null],
    ]);
  });
});
