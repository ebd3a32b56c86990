import {
  createTable,
  dropColumn,
  insertRows,
  localTestLake,
  renameColumn,
  type TestLake,
} from '@mart/stage-04-lakehouse/testing';
import * as track from '@mart/track/04-lakehouse';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { catalogRows, commit, currentTable, latestSnapshot } from '../helpers/lake.ts';

// The lake is written and read with the reference pieces; only adding a column is yours.
describe('add-column', () => {
  let lake: TestLake;
  let tableId: number;
  let filled: number;

  beforeEach(async () => {
    lake = await localTestLake();
    // Another table first, with more columns: ids are counted per table.
    await commit(lake, (tx) =>
      createTable(
        tx,
        'main',
        'wide',
        ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => ({ name, type: 'INTEGER' })),
      ),
    );
    await commit(lake, (tx) =>
      createTable(tx, 'main', 'sales', [
        { name: 'id', type: 'INTEGER' },
        { name: 'customer', type: 'VARCHAR' },
        { name: 'amount', type: 'DECIMAL(10,2)' },
      ]),
    );
    tableId = (await currentTable(lake, 'main', 'sales')).tableId;
    filled = await insert("select * from (values (1, 'ann', 10.50), (2, 'bob', 20.00)) t(id, customer, amount)");
  });
  afterEach(async () => {
    await lake?.remove();
  });

  async function insert(sql: string): Promise<number> {
    return commit(lake, async (tx) => {
      await insertRows(tx, lake.store, lake.pieces, await currentTable(lake, 'main', 'sales'), sql);
    });
  }

  /** Adds a column to main.sales in its own snapshot: [snapshot, the piece's result]. */
  async function addColumn(column: Parameters<typeof track.addColumn>[2]): Promise<[number, number]> {
    let id = -1;
    const snapshot = await commit(lake, async (tx) => {
      id = await track.addColumn(tx, await currentTable(lake, 'main', 'sales'), column);
    });
    return [snapshot, id];
  }

  test('a column with a default: rows of older files read the default, new rows carry their own value', async () => {
    const [, id] = await addColumn({ name: 'channel', lakeType: 'varchar', default: 'store' });
    expect(id).toBe(4);
    const table = await currentTable(lake, 'main', 'sales');
    expect(table.columns.map((column) => column.name)).toEqual(['id', 'customer', 'amount', 'channel']);

    await insert(
      "select * from (values (3, 'cy', 5.00, 'web'), (4, 'dee', 6.00, null)) t(id, customer, amount, channel)",
    );
    expect(await lake.rows('main', 'sales')).toEqual([
      { id: 1, customer: 'ann', amount: 10.5, channel: 'store' },
      { id: 2, customer: 'bob', amount: 20, channel: 'store' },
      { id: 3, customer: 'cy', amount: 5, channel: 'web' },
      { id: 4, customer: 'dee', amount: 6, channel: null },
    ]);
  });

  test('the ducklake_column row: next id, next order, type, defaults as text (NULL and "NULL" without one), an empty one kept', async () => {
    const [withDefault, channel] = await addColumn({ name: 'channel', lakeType: 'varchar', default: 'store' });
    const [withoutDefault, note] = await addColumn({ name: 'note', lakeType: 'varchar' });
    const [withNull, discount] = await addColumn({ name: 'discount', lakeType: 'int32', default: null });
    const [withZero, units] = await addColumn({ name: 'units', lakeType: 'int32', default: '0' });
    const [withEmpty, memo] = await addColumn({ name: 'memo', lakeType: 'varchar', default: '' });
    expect([channel, note, discount, units, memo]).toEqual([4, 5, 6, 7, 8]);

    const row = (column_id: number, begin: number, name: string, type: string, initial: string | null) => ({
      column_id,
      begin_snapshot: begin,
      end_snapshot: null,
      table_id: tableId,
      column_order: column_id,
      column_name: name,
      column_type: type,
      initial_default: initial,
      default_value: initial ?? 'NULL',
      nulls_allowed: true,
      parent_column: null,
      default_value_type: 'literal',
      default_value_dialect: 'duckdb',
    });
    expect(
      await catalogRows(lake, 'ducklake_column', 'table_id = $1 and column_id >= 4', [tableId], 'column_id'),
    ).toEqual([
      row(4, withDefault, 'channel', 'varchar', 'store'),
      row(5, withoutDefault, 'note', 'varchar', null),
      row(6, withNull, 'discount', 'int32', null),
      row(7, withZero, 'units', 'int32', '0'),
      // An empty text is a default (old rows read ''), not a missing one.
      row(8, withEmpty, 'memo', 'varchar', ''),
    ]);
    // Old rows read each column's initial default, typed.
    expect((await lake.rows('main', 'sales'))[0]).toEqual({
      id: 1,
      customer: 'ann',
      amount: 10.5,
      channel: 'store',
      note: null,
      discount: null,
      units: 0,
      memo: '',
    });
  });

  test('ids are never reused: after the last column was dropped the new one gets max + 1, ordered last', async () => {
    await commit(lake, async (tx) => dropColumn(tx, await currentTable(lake, 'main', 'sales'), 'amount'));
    const [, id] = await addColumn({ name: 'total', lakeType: 'decimal(10,2)', default: '0.00' });
    // Column 3 (amount) is dropped, not forgotten: its id stays taken. Order: after customer (2).
    expect(id).toBe(4);
    const table = await currentTable(lake, 'main', 'sales');
    expect(table.columns.map(({ columnId, name, order }) => [columnId, name, order])).toEqual([
      [1, 'id', 1],
      [2, 'customer', 2],
      [4, 'total', 3],
    ]);
    // The old file's amount (field id 3) is not read as total (field id 4).
    expect(await lake.rows('main', 'sales')).toEqual([
      { id: 1, customer: 'ann', total: 0 },
      { id: 2, customer: 'bob', total: 0 },
    ]);
  });

  test('dropping a middle column and renaming another: the new column follows the largest id and order', async () => {
    await commit(lake, async (tx) => dropColumn(tx, await currentTable(lake, 'main', 'sales'), 'customer'));
    await commit(lake, async (tx) => renameColumn(tx, await currentTable(lake, 'main', 'sales'), 'amount', 'value'));
    const [, id] = await addColumn({ name: 'customer', lakeType: 'varchar', default: 'unknown' });
    expect(id).toBe(4);
    const table = await currentTable(lake, 'main', 'sales');
    expect(table.columns.map(({ columnId, name, order }) => [columnId, name, order])).toEqual([
      [1, 'id', 1],
      [3, 'value', 3],
      [4, 'customer', 4],
    ]);
    // A new column with an old name is a new column: the old customer values stay hidden.
    expect(await lake.rows('main', 'sales')).toEqual([
      { id: 1, value: 10.5, customer: 'unknown' },
      { id: 2, value: 20, customer: 'unknown' },
    ]);
  });

  test('a name the table already has (in any case) is refused, naming it, and nothing is committed', async () => {
    const before = await latestSnapshot(lake);
    // DuckDB compares names without case: Customer would collide with customer.
    for (const name of ['customer', 'amount', 'Customer', 'AMOUNT']) {
      await expect(addColumn({ name, lakeType: 'varchar', default: 'x' }), name).rejects.toThrow(name);
    }
    expect(await latestSnapshot(lake)).toBe(before);
    expect(await catalogRows(lake, 'ducklake_column', 'table_id = $1', [tableId])).toHaveLength(3);
    // The same name in another table is fine.
    const [, id] = await addColumn({ name: 'a', lakeType: 'int32', default: '1' });
    expect(id).toBe(4);
  });

  test('the snapshot: a new schema version recorded for the table, and altered_table:<table id>', async () => {
    const [previous] = await catalogRows(lake, 'ducklake_snapshot', 'snapshot_id = $1', [filled]);
    const [snapshot] = await addColumn({ name: 'channel', lakeType: 'varchar', default: 'store' });
    const [added] = await catalogRows(lake, 'ducklake_snapshot', 'snapshot_id = $1', [snapshot]);
    expect(added?.schema_version).toBe(Number(previous?.schema_version) + 1);
    expect(await catalogRows(lake, 'ducklake_schema_versions', 'begin_snapshot = $1', [snapshot])).toEqual([
      { begin_snapshot: snapshot, schema_version: added?.schema_version, table_id: tableId },
    ]);
    expect((await catalogRows(lake, 'ducklake_snapshot_changes', 'snapshot_id = $1', [snapshot]))[0]).toMatchObject({
      changes_made: `altered_table:${tableId}`,
    });
    // Adding a column writes no data and no catalog id: only the column row is new.
    expect(added?.next_catalog_id).toBe(previous?.next_catalog_id);
    expect(added?.next_file_id).toBe(previous?.next_file_id);
  });

  test('time travel: snapshots before the column keep the old shape; a quote in a default is kept', async () => {
    const [added] = await addColumn({ name: 'channel', lakeType: 'varchar', default: "o'brien's" });
    await insert("select * from (values (3, 'cy', 5.00, 'web')) t(id, customer, amount, channel)");
    expect(await lake.rows('main', 'sales', filled)).toEqual([
      { id: 1, customer: 'ann', amount: 10.5 },
      { id: 2, customer: 'bob', amount: 20 },
    ]);
    expect(await lake.rows('main', 'sales', added)).toEqual([
      { id: 1, customer: 'ann', amount: 10.5, channel: "o'brien's" },
      { id: 2, customer: 'bob', amount: 20, channel: "o'brien's" },
    ]);
    expect((await lake.rows('main', 'sales')).map((row) => row.channel)).toEqual(["o'brien's", "o'brien's", 'web']);
  });
});
