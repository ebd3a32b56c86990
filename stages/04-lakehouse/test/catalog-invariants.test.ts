import { Database, type Row } from '@mart/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolveSnapshot } from '../src/ducklake/read/resolve-snapshot.ts';
import {
  catalogAlias,
  commitSnapshot,
  createSchema,
  createTable,
  deleteRows,
  dropColumn,
  dropTable,
  endTableFiles,
  findTable,
  insertRows,
  renameColumn,
  requireTable,
  s3TestLake,
  type TestLake,
} from '../src/testing/index.ts';
import { expectCatalogInvariants } from './helpers/catalog-invariants.ts';

// One table taken through every write operation in a lake on a real (embedded) S3
// server. After each commit the catalog must be consistent with itself, with the bucket
// and with the Parquet files (helpers/catalog-invariants.ts), and the table must read
// exactly the rows a plain DuckDB table gets from the same statements (the model). At
// the end every snapshot is read again: time travel returns each one's rows exactly.

/** Resolves as soon as the clock reads later than `iso` (at most a millisecond away). */
async function clockPast(iso: string): Promise<void> {
  const moment = Date.parse(iso);
  while (Date.now() <= moment) await new Promise((resolve) => setImmediate(resolve));
}

/** `count` rows with ids from..to: some NULL customers, a NaN and some NULL scores. */
function salesRows(from: number, to: number, names: { customer: string; extra?: string } = { customer: 'customer' }) {
  return `select i::integer as id,
                 case when i % 5 = 0 then null else 'c' || (i % 3) end as ${names.customer},
                 (i * 7.25)::decimal(10,2) as amount,
                 date '2024-01-01' + i::integer as sold_on,
                 (case when i = 13 then 'nan'::double when i % 7 = 0 then null else i / 4 end)::double as score
                 ${names.extra ?? ''}
            from range(${from}, ${to + 1}) t(i)`;
}

describe('the catalog after every write operation, on an S3 lake', () => {
  let lake: TestLake;
  let model: Database;
  /** The rows shop.sales has at each snapshot, or 'absent' where the table does not exist. */
  const expected = new Map<number, Row[] | 'absent'>([[0, 'absent']]);
  let snapshot = 0;

  beforeAll(async () => {
    lake = await s3TestLake();
    model = await Database.open(':memory:');
  });
  afterAll(async () => {
    model?.close();
    await lake?.remove();
  });

  const latest = () =>
    lake.session.db.value<number>(`select max(snapshot_id)::bigint from ${catalogAlias}.ducklake_snapshot`);
  const schemaVersion = (id: number) =>
    lake.session.db.value<number>(
      `select schema_version from ${catalogAlias}.ducklake_snapshot where snapshot_id = $1`,
      [id],
    );
  const sales = async (db: Database) => {
    const table = await requireTable(db, 'shop', 'sales');
    return table;
  };

  /**
   * Commits `work` as the next snapshot, applies `modelSql` to the model, then checks the
   * invariants, the schema version and the latest rows, and remembers them.
   */
  async function step(
    work: Parameters<typeof commitSnapshot>[1],
    modelSql: string[],
    options: { schemaChange: boolean; dropped?: boolean },
  ): Promise<Row[] | 'absent'> {
    const { snapshotId } = await commitSnapshot(lake.session, work);
    expect(snapshotId).toBe(snapshot + 1);
    expect(await latest()).toBe(snapshotId);
    for (const sql of modelSql) await model.run(sql);
    await expectCatalogInvariants(lake);
    expect(await schemaVersion(snapshotId), 'schema_version bumps exactly on create/alter/drop').toBe(
      (await schemaVersion(snapshot)) + (options.schemaChange ? 1 : 0),
    );
    snapshot = snapshotId;
    const rows = options.dropped ? 'absent' : await model.all('select * from model order by all');
    expected.set(snapshotId, rows);
    if (rows === 'absent') {
      await expect(lake.rows('shop', 'sales')).rejects.toThrow(
        `Table shop.sales does not exist at snapshot ${snapshotId}.`,
      );
    } else {
      expect(await lake.rows('shop', 'sales')).toEqual(rows);
    }
    return rows;
  }

  test('a new catalog (snapshot 0) already holds', async () => {
    await expectCatalogInvariants(lake);
    expect(await latest()).toBe(0);
  });

  test('create schema and table (1)', async () => {
    const rows = await step(
      async (tx) => {
        await createSchema(tx, 'shop');
        await createTable(tx, 'shop', 'sales', [
          { name: 'id', type: 'INTEGER' },
          { name: 'customer', type: 'VARCHAR' },
          { name: 'amount', type: 'DECIMAL(10,2)' },
          { name: 'sold_on', type: 'DATE' },
          { name: 'score', type: 'DOUBLE' },
        ]);
      },
      ['create table model (id integer, customer varchar, amount decimal(10,2), sold_on date, score double)'],
      { schemaChange: true },
    );
    expect(rows).toEqual([]);
  });

  test('insert ×2 (2, 3): two data files, NULLs and a NaN in the statistics', async () => {
    await step(
      async (tx) => insertRows(tx, lake.store, lake.pieces, await sales(tx.db), salesRows(1, 10)),
      [`insert into model by name (${salesRows(1, 10)})`],
      { schemaChange: false },
    );
    const rows = await step(
      async (tx) => insertRows(tx, lake.store, lake.pieces, await sales(tx.db), salesRows(11, 20)),
      [`insert into model by name (${salesRows(11, 20)})`],
      { schemaChange: false },
    );
    expect(rows).toHaveLength(20);
    expect((rows as Row[]).filter((row) => Number.isNaN(row.score))).toHaveLength(1);
  });

  test('add column with a default (4): files written before read the default', async () => {
    const rows = await step(
      async (tx) =>
        lake.pieces.addColumn(tx, await sales(tx.db), { name: 'channel', lakeType: 'varchar', default: 'store' }),
      [`alter table model add column channel varchar default 'store'`],
      { schemaChange: true },
    );
    expect(rows).toHaveLength(20);
    expect(new Set((rows as Row[]).map((row) => row.channel))).toEqual(new Set(['store']));
  });

  test('insert after the new column (5): a file with it, beside files without', async () => {
    const extra = `, (case when i = 25 then null else 'web' end) as channel`;
    await step(
      async (tx) =>
        insertRows(tx, lake.store, lake.pieces, await sales(tx.db), salesRows(21, 25, { customer: 'customer', extra })),
      [`insert into model by name (${salesRows(21, 25, { customer: 'customer', extra })})`],
      { schemaChange: false },
    );
  });

  test('rename column (6)', async () => {
    const rows = await step(
      async (tx) => renameColumn(tx, await sales(tx.db), 'customer', 'customer_name'),
      ['alter table model rename column customer to customer_name'],
      { schemaChange: true },
    );
    expect(Object.keys((rows as Row[])[0] ?? {})).toEqual([
      'id',
      'customer_name',
      'amount',
      'sold_on',
      'score',
      'channel',
    ]);
  });

  test('delete with a predicate (7): a delete file for each of the three data files', async () => {
    const predicate = 'amount < 30 or customer_name is null';
    let deleted = 0;
    const rows = await step(
      async (tx) => {
        deleted = await deleteRows(tx, lake.store, lake.fetch, await sales(tx.db), predicate);
      },
      [`delete from model where ${predicate}`],
      { schemaChange: false },
    );
    expect(deleted).toBe(9); // ids 1–4 (amount < 30) and 5, 10, 15, 20, 25 (no customer)
    expect(rows).toHaveLength(25 - 9);
    expect(
      await lake.session.db.value<number>(`select count(*)::bigint from ${catalogAlias}.ducklake_delete_file`),
    ).toBe(3);
  });

  test('delete again (8): delete files replaced, a data file whose rows are all gone ends', async () => {
    const predicate = 'id in (7, 12) or id >= 21';
    let deleted = 0;
    await step(
      async (tx) => {
        deleted = await deleteRows(tx, lake.store, lake.fetch, await sales(tx.db), predicate);
      },
      [`delete from model where ${predicate}`],
      { schemaChange: false },
    );
    expect(deleted).toBe(6); // 7, 12, 21–24 (25 was already gone)
    const live = await lake.session.db.all(
      `select data_file_id, record_count from ${catalogAlias}.ducklake_data_file where end_snapshot is null order by 1`,
    );
    expect(live.map((file) => file.record_count)).toEqual([10, 10]);
    const liveDeletes = await lake.session.db.all(
      `select delete_count from ${catalogAlias}.ducklake_delete_file where end_snapshot is null order by data_file_id`,
    );
    expect(liveDeletes).toEqual([{ delete_count: 7 }, { delete_count: 3 }]);
  });

  test('replace the contents (9): endTableFiles + insertRows in one snapshot', async () => {
    const source = salesRows(100, 104, { customer: 'customer_name', extra: `, 'outlet' as channel` });
    const rows = await step(
      async (tx) => {
        const table = await sales(tx.db);
        await endTableFiles(tx, table.tableId);
        await insertRows(tx, lake.store, lake.pieces, table, source);
      },
      ['delete from model', `insert into model by name (${source})`],
      { schemaChange: false },
    );
    expect((rows as Row[]).map((row) => row.id)).toEqual([100, 101, 102, 103, 104]);
  });

  test('drop column (10), then insert without it (11)', async () => {
    await step(async (tx) => dropColumn(tx, await sales(tx.db), 'score'), ['alter table model drop column score'], {
      schemaChange: true,
    });
    const source = `select i::integer as id, 'late' as customer_name, 1.5::decimal(10,2) as amount,
                           date '2025-01-01' as sold_on, 'web' as channel from range(200, 203) t(i)`;
    const rows = await step(
      async (tx) => insertRows(tx, lake.store, lake.pieces, await sales(tx.db), source),
      [`insert into model by name (${source})`],
      { schemaChange: false },
    );
    expect(Object.keys((rows as Row[])[0] ?? {})).toEqual(['id', 'customer_name', 'amount', 'sold_on', 'channel']);
    // The newest file has no field for the dropped column.
    const newest = await lake.session.db.value<number>(
      `select max(data_file_id) from ${catalogAlias}.ducklake_data_file`,
    );
    expect(
      await lake.session.db.all(
        `select column_id from ${catalogAlias}.ducklake_file_column_stats where data_file_id = $1 order by 1`,
        [newest],
      ),
    ).toEqual([1, 2, 3, 4, 6].map((column_id) => ({ column_id })));
  });

  test('drop table (12)', async () => {
    await step(async (tx) => dropTable(tx, await sales(tx.db)), [], { schemaChange: true, dropped: true });
    expect(await findTable(lake.session.db, 'shop', 'sales')).toBeUndefined();
  });

  test('time travel: every snapshot reads back exactly its rows', async () => {
    expect([...expected.keys()]).toEqual([...Array(snapshot + 1).keys()]);
    for (const [id, rows] of expected) {
      if (rows === 'absent') {
        await expect(lake.rows('shop', 'sales', id), `snapshot ${id}`).rejects.toThrow(
          `Table shop.sales does not exist at snapshot ${id}.`,
        );
      } else {
        expect(await lake.rows('shop', 'sales', id), `snapshot ${id}`).toEqual(rows);
      }
    }
  });

  test('schema evolution: old files read the default, and under the new name', async () => {
    const at3 = await lake.rows('shop', 'sales', 3);
    const at4 = await lake.rows('shop', 'sales', 4);
    const at5 = await lake.rows('shop', 'sales', 5);
    const at6 = await lake.rows('shop', 'sales', 6);
    expect(Object.keys(at3[0] ?? {})).toEqual(['id', 'customer', 'amount', 'sold_on', 'score']);
    // Same rows, same files: the column is added by the catalog alone.
    expect(at4).toEqual(at3.map((row) => ({ ...row, channel: 'store' })));
    // Rows of the new file carry what was written, NULL included; the old ones the default.
    expect(at5.map((row) => [row.id, row.channel])).toEqual([
      ...at3.map((row) => [row.id, 'store']),
      [21, 'web'],
      [22, 'web'],
      [23, 'web'],
      [24, 'web'],
      [25, null],
    ]);
    // After the rename, files written under the old name read under the new one.
    expect(at6).toEqual(
      at5.map(({ customer, ...row }) => ({
        id: row.id,
        customer_name: customer,
        amount: row.amount,
        sold_on: row.sold_on,
        score: row.score,
        channel: row.channel,
      })),
    );
    expect(at6.filter((row) => row.customer_name === 'c1')).toHaveLength(
      at5.filter((row) => row.customer === 'c1').length,
    );
  });

  test('delete files: deleted rows are gone at and after their snapshot, present before', async () => {
    const ids = async (id: number) => (await lake.rows('shop', 'sales', id)).map((row) => row.id);
    const before = await ids(6);
    const first = await ids(7);
    const second = await ids(8);
    expect(before).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 7, 10, 12, 15, 20, 21, 25]));
    expect(first).toEqual([6, 7, 8, 9, 11, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 24]);
    expect(second).toEqual([6, 8, 9, 11, 13, 14, 16, 17, 18, 19]);
    // Rows the replace ended are still there for time travel.
    expect(await ids(9)).toEqual([100, 101, 102, 103, 104]);
  });
});

describe('edge cases of one commit', () => {
  let lake: TestLake;
  beforeAll(async () => {
    lake = await s3TestLake();
  });
  afterAll(async () => lake?.remove());

  test('renaming a column twice in one commit leaves one live column', async () => {
    await commitSnapshot(lake.session, async (tx) => {
      await createTable(tx, 'main', 'items', [
        { name: 'id', type: 'INTEGER' },
        { name: 'label', type: 'VARCHAR' },
      ]);
    });
    await commitSnapshot(lake.session, async (tx) => {
      const table = await requireTable(tx.db, 'main', 'items');
      await insertRows(tx, lake.store, lake.pieces, table, `select 1 as id, 'one' as label`);
    });
    await commitSnapshot(lake.session, async (tx) => {
      const before = await requireTable(tx.db, 'main', 'items');
      await renameColumn(tx, before, 'label', 'title');
      const renamed = await requireTable(tx.db, 'main', 'items');
      await renameColumn(tx, renamed, 'title', 'name');
    });
    expect(
      await lake.session.db.all(
        `select column_id, column_name from ${catalogAlias}.ducklake_column where table_id = 1 and end_snapshot is null order by all`,
      ),
    ).toEqual([
      { column_id: 1, column_name: 'id' },
      { column_id: 2, column_name: 'name' },
    ]);
    expect(await lake.rows('main', 'items')).toEqual([{ id: 1, name: 'one' }]);
    await expectCatalogInvariants(lake);
  });

  test('snapshot_time is when the snapshot was committed, not when its commit began', async () => {
    // --as-of T must give the snapshot that was the latest at T. A commit's uploads take
    // time: a reader at a moment during them still sees the previous snapshot.
    await commitSnapshot(lake.session, (tx) => createTable(tx, 'main', 'stamps', [{ name: 'id', type: 'INTEGER' }]));
    let during = '';
    const { snapshotId } = await commitSnapshot(
      lake.session,
      async (tx) => {
        const table = await requireTable(tx.db, 'main', 'stamps');
        await insertRows(tx, lake.store, lake.pieces, table, 'select 1 as id');
        during = new Date().toISOString();
      },
      // Timestamps have millisecond steps: wait for the clock to pass `during` (the event
      // the check needs), so "after during" is decidable; no guessed delay.
      { beforeCommit: () => clockPast(during) },
    );
    const committedAt = await lake.session.db.value<string>(
      `select strftime(snapshot_time, '%Y-%m-%dT%H:%M:%S.%fZ') from ${catalogAlias}.ducklake_snapshot where snapshot_id = $1`,
      [snapshotId],
    );
    expect({
      committedAt: committedAt > during,
      asOfDuring: (await resolveSnapshot(lake.session.db, catalogAlias, { at: during })).id,
    }).toEqual({
      committedAt: true,
      asOfDuring: snapshotId - 1,
    });
  });
});
