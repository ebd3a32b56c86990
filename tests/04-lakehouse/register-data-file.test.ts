import { basename, join } from 'node:path';
import {
  catalogAlias,
  createTable,
  insertRows,
  localTestLake,
  parquetFileFacts,
  type TestLake,
} from '@mart/stage-04-lakehouse/testing';
import * as track from '@mart/track/04-lakehouse';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { catalogRows, commit, currentTable, piecesWith } from '../helpers/lake.ts';

const firstRows = `select * from (values (9, 'b', 9.50, 1.5), (10, 'a', 10.25, 2.5)) t(id, customer, amount, score)`;
const secondRows = `select * from (values (1, 'd', 5.00, 0.5), (2, null, 80.00, 'nan'::double), (3, 'c', null, 3.0))
                      t(id, customer, amount, score)`;

/**
 * A new lake with an empty main.sales (id, customer, amount, score). Every insert goes
 * through the stage's writer (Parquet file with field ids, upload, column statistics),
 * which hands the new file to your registerDataFile.
 */
async function salesLake() {
  const lake = await localTestLake(piecesWith({ registerDataFile: track.registerDataFile }));
  await commit(lake, (tx) =>
    createTable(tx, 'main', 'sales', [
      { name: 'id', type: 'INTEGER' },
      { name: 'customer', type: 'VARCHAR' },
      { name: 'amount', type: 'DECIMAL(10,2)' },
      { name: 'score', type: 'DOUBLE' },
    ]),
  );
  const tableId = (await currentTable(lake, 'main', 'sales')).tableId;

  /** Inserts the rows of `sql` as one new data file; its snapshot and what was written. */
  async function insert(sql: string) {
    let written: { dataFileId: number; key: string; rows: number } | undefined;
    const snapshot = await commit(lake, async (tx) => {
      written = await insertRows(tx, lake.store, lake.pieces, await currentTable(lake, 'main', 'sales'), sql);
    });
    if (!written) throw new Error('Test setup: nothing was written.');
    const facts = await parquetFileFacts(lake.session.db, join(lake.dir, ...written.key.split('/')));
    return { snapshot, ...written, facts };
  }
  return { lake, tableId, insert };
}

describe('register-data-file', () => {
  // These tests only read what two inserts wrote: they share one lake, filled by the
  // first test that asks (a failing insert fails each of them with its error).
  describe('two files inserted into one table', () => {
    let shared: ReturnType<typeof insertTwoFiles> | undefined;
    const lakes: TestLake[] = [];
    afterAll(async () => {
      for (const lake of lakes) await lake.remove();
    });

    async function insertTwoFiles() {
      const sales = await salesLake();
      lakes.push(sales.lake);
      const tableStats = () => catalogRows(sales.lake, 'ducklake_table_stats', 'table_id = $1', [sales.tableId]);
      const beforeAny = await tableStats();
      const first = await sales.insert(firstRows);
      const afterFirst = await tableStats();
      const second = await sales.insert(secondRows);
      return { ...sales, first, second, tableStats: [beforeAny, afterFirst, await tableStats()] };
    }
    const twoFiles = () => {
      shared ??= insertTwoFiles();
      return shared;
    };

    test('ducklake_data_file: one row per insert, sizes of the real file, row ids continuing', async () => {
      const { lake, tableId, first, second } = await twoFiles();
      const files = await catalogRows(lake, 'ducklake_data_file', 'table_id = $1', [tableId], 'data_file_id');
      const row = (written: typeof first) => ({
        data_file_id: written.dataFileId,
        table_id: tableId,
        begin_snapshot: written.snapshot,
        end_snapshot: null,
        file_order: null,
        path: basename(written.key),
        path_is_relative: true,
        file_format: 'parquet',
        record_count: written.rows,
        file_size_bytes: written.facts.fileSizeBytes,
        footer_size: written.facts.footerSize,
        row_id_start: written === first ? 0 : 2,
        partition_id: null,
        encryption_key: null,
        mapping_id: null,
        partial_max: null,
      });
      expect(files).toEqual([row(first), row(second)]);
      expect([first.rows, second.rows]).toEqual([2, 3]);
      // File ids come from the snapshot's counter (tx.nextFileId()), which moves on.
      expect([first.dataFileId, second.dataFileId]).toEqual([0, 1]);
      const snapshots = await catalogRows(
        lake,
        'ducklake_snapshot',
        'snapshot_id >= $1',
        [first.snapshot],
        'snapshot_id',
      );
      expect(snapshots.map((snapshot) => snapshot.next_file_id)).toEqual([1, 2]);
    });

    test('ducklake_file_column_stats: one row per column of each file, with its counts, size and min/max', async () => {
      const { lake, tableId, first, second } = await twoFiles();
      const stats = await catalogRows(
        lake,
        'ducklake_file_column_stats',
        'table_id = $1',
        [tableId],
        'data_file_id, column_id',
      );
      const size = (written: typeof first, column: string) => written.facts.columnSizes.get(column);
      const f1 = first.dataFileId;
      const f2 = second.dataFileId;
      const stat = (
        file: number,
        column_id: number,
        column_size_bytes: number | undefined,
        counts: [number, number],
        min: string | null,
        max: string | null,
        nan: boolean | null,
      ) => ({
        data_file_id: file,
        table_id: tableId,
        column_id,
        column_size_bytes,
        value_count: counts[0],
        null_count: counts[1],
        min_value: min,
        max_value: max,
        contains_nan: nan,
        extra_stats: null,
      });
      expect(stats).toEqual([
        stat(f1, 1, size(first, 'id'), [2, 0], '9', '10', null),
        stat(f1, 2, size(first, 'customer'), [2, 0], 'a', 'b', null),
        stat(f1, 3, size(first, 'amount'), [2, 0], '9.50', '10.25', null),
        stat(f1, 4, size(first, 'score'), [2, 0], '1.5', '2.5', false),
        stat(f2, 1, size(second, 'id'), [3, 0], '1', '3', null),
        stat(f2, 2, size(second, 'customer'), [3, 1], 'c', 'd', null),
        stat(f2, 3, size(second, 'amount'), [3, 1], '5.00', '80.00', null),
        stat(f2, 4, size(second, 'score'), [3, 0], '0.5', 'nan', true),
      ]);
      // Every column takes some bytes: no row with a size of 0 (or none).
      expect(stats.filter((row) => !(Number(row.column_size_bytes) > 0))).toEqual([]);
    });

    test('ducklake_table_stats: the one row of the table adds up rows, next row id and bytes', async () => {
      const { tableId, first, second, tableStats } = await twoFiles();
      // Before any file, after the first, after the second.
      expect(tableStats).toEqual([
        [{ table_id: tableId, record_count: 0, next_row_id: 0, file_size_bytes: 0 }],
        [{ table_id: tableId, record_count: 2, next_row_id: 2, file_size_bytes: first.facts.fileSizeBytes }],
        [
          {
            table_id: tableId,
            record_count: 5,
            next_row_id: 5,
            file_size_bytes: first.facts.fileSizeBytes + second.facts.fileSizeBytes,
          },
        ],
      ]);
    });

    test('the insert snapshot records inserted_into_table:<id>, and the rows read back at every snapshot', async () => {
      const { lake, tableId, first, second } = await twoFiles();
      const changes = await catalogRows(
        lake,
        'ducklake_snapshot_changes',
        'snapshot_id >= $1',
        [first.snapshot],
        'snapshot_id',
      );
      expect(changes.map((change) => change.changes_made)).toEqual([
        `inserted_into_table:${tableId}`,
        `inserted_into_table:${tableId}`,
      ]);

      expect(
        (await lake.rows('main', 'sales', first.snapshot)).map((row) => [row.id, row.customer, row.amount]),
      ).toEqual([
        [9, 'b', 9.5],
        [10, 'a', 10.25],
      ]);
      const latest = await lake.rows('main', 'sales', second.snapshot);
      expect(latest.map((row) => row.id)).toEqual([1, 2, 3, 9, 10]);
      expect(latest.find((row) => row.id === 2)).toMatchObject({ customer: null, amount: 80 });
      expect(latest.find((row) => row.id === 3)).toMatchObject({ customer: 'c', amount: null, score: 3 });
    });
  });

  describe('one lake per test', () => {
    let lake: TestLake;
    let tableId: number;
    let insert: Awaited<ReturnType<typeof salesLake>>['insert'];
    beforeEach(async () => {
      ({ lake, tableId, insert } = await salesLake());
    });
    afterEach(async () => {
      await lake?.remove();
    });

    test('ducklake_table_column_stats: merged per column, min/max compared as numbers, not text', async () => {
      await insert(firstRows);
      const merged = () =>
        catalogRows(lake, 'ducklake_table_column_stats', 'table_id = $1', [tableId], 'column_id').then((rows) =>
          rows.map(({ column_id, contains_null, contains_nan, min_value, max_value }) => [
            column_id,
            contains_null,
            contains_nan,
            min_value,
            max_value,
          ]),
        );
      expect(await merged()).toEqual([
        [1, false, null, '9', '10'],
        [2, false, null, 'a', 'b'],
        [3, false, null, '9.50', '10.25'],
        [4, false, false, '1.5', '2.5'],
      ]);
      await insert(secondRows);
      // As text, '9' > '10' and '9.50' > '80.00': the merge must compare typed values.
      expect(await merged()).toEqual([
        [1, false, null, '1', '10'],
        [2, true, null, 'a', 'd'],
        [3, true, null, '5.00', '80.00'],
        [4, false, true, '0.5', 'nan'],
      ]);
      // Still one row per column, and the other stats tables unchanged in shape.
      expect(await catalogRows(lake, 'ducklake_table_column_stats', 'table_id = $1', [tableId])).toHaveLength(4);
      const third = `select * from (values (100, 'aa', 100.00, 2.0)) t(id, customer, amount, score)`;
      await insert(third);
      expect(await merged()).toEqual([
        [1, false, null, '1', '100'],
        [2, true, null, 'a', 'd'],
        [3, true, null, '5.00', '100.00'],
        [4, false, true, '0.5', 'nan'],
      ]);
    });

    test('a table with no ducklake_table_stats row yet: row ids and counts start at 0', async () => {
      // Nothing says a table has statistics before its first file: start from zero, not one.
      await lake.session.db.run(`delete from ${catalogAlias}.ducklake_table_stats where table_id = $1`, [tableId]);
      const first = await insert(firstRows);
      const [file] = await catalogRows(lake, 'ducklake_data_file', 'table_id = $1', [tableId]);
      expect(file).toMatchObject({ data_file_id: first.dataFileId, record_count: 2, row_id_start: 0 });
      expect(await catalogRows(lake, 'ducklake_table_stats', 'table_id = $1', [tableId])).toEqual([
        { table_id: tableId, record_count: 2, next_row_id: 2, file_size_bytes: first.facts.fileSizeBytes },
      ]);
      const second = await insert(secondRows);
      expect(
        (await catalogRows(lake, 'ducklake_data_file', 'data_file_id = $1', [second.dataFileId]))[0],
      ).toMatchObject({
        row_id_start: 2,
      });
      expect(await catalogRows(lake, 'ducklake_table_stats', 'table_id = $1', [tableId])).toEqual([
        {
          table_id: tableId,
          record_count: 5,
          next_row_id: 5,
          file_size_bytes: first.facts.fileSizeBytes + second.facts.fileSizeBytes,
        },
      ]);
    });

    test('merging: min only goes down, max only goes up, contains_null stays false until a file has a NULL', async () => {
      const merged = async () =>
        (await catalogRows(lake, 'ducklake_table_column_stats', 'table_id = $1', [tableId], 'column_id')).map(
          ({ column_id, contains_null, min_value, max_value }) => [column_id, contains_null, min_value, max_value],
        );
      await insert(firstRows); // 9…10, 'a'…'b', 9.50…10.25, 1.5…2.5; no NULLs
      // A file inside the bounds, without NULLs: nothing changes.
      await insert(`select * from (values (10, 'ab', 9.75, 2.0), (9, 'b', 10.00, 1.5)) t(id, customer, amount, score)`);
      expect(await merged()).toEqual([
        [1, false, '9', '10'],
        [2, false, 'a', 'b'],
        [3, false, '9.50', '10.25'],
        [4, false, '1.5', '2.5'],
      ]);
      // Wider on both sides, with a NULL in customer only.
      await insert(
        `select * from (values (-5, null, 1000.00, 0.25), (11, 'c', 0.99, 12.0)) t(id, customer, amount, score)`,
      );
      expect(await merged()).toEqual([
        [1, false, '-5', '11'],
        [2, true, 'a', 'c'],
        [3, false, '0.99', '1000.00'],
        [4, false, '0.25', '12.0'],
      ]);
    });

    test("another table's statistics are left alone", async () => {
      await commit(lake, (tx) =>
        createTable(tx, 'main', 'returns', [
          { name: 'id', type: 'INTEGER' },
          { name: 'reason', type: 'VARCHAR' },
        ]),
      );
      const returnsId = (await currentTable(lake, 'main', 'returns')).tableId;
      await commit(lake, async (tx) => {
        await insertRows(
          tx,
          lake.store,
          lake.pieces,
          await currentTable(lake, 'main', 'returns'),
          "select * from (values (1, 'late'), (2, null), (3, 'broken')) t(id, reason)",
        );
      });
      const returnsStats = async () => ({
        table: await catalogRows(lake, 'ducklake_table_stats', 'table_id = $1', [returnsId]),
        columns: await catalogRows(lake, 'ducklake_table_column_stats', 'table_id = $1', [returnsId], 'column_id'),
      });
      const before = await returnsStats();
      expect(before.table).toMatchObject([{ table_id: returnsId, record_count: 3, next_row_id: 3 }]);
      expect(before.columns).toHaveLength(2);

      await insert(firstRows);
      await insert(secondRows);
      expect(await returnsStats()).toEqual(before);
      expect(await catalogRows(lake, 'ducklake_table_stats', 'table_id = $1', [tableId])).toMatchObject([
        { table_id: tableId, record_count: 5, next_row_id: 5 },
      ]);
    });

    test('called directly with a hand-made file: exactly these catalog rows, values passed as parameters', async () => {
      const db = lake.session.db;
      // As if earlier files existed and rows were deleted since: next_row_id (12) is not
      // record_count (7), and the table already has statistics for columns 1 to 3.
      await db.run(
        `update ${catalogAlias}.ducklake_table_stats set record_count = 7, next_row_id = 12, file_size_bytes = 900 where table_id = $1`,
        [tableId],
      );
      await db.run(
        `insert into ${catalogAlias}.ducklake_table_column_stats values
         ($1, 1, false, null, '2', '9', null), ($1, 2, true, null, 'bob', 'dan', null), ($1, 3, false, null, '20.00', '30.00', null)`,
        [tableId],
      );
      const before = await db.value<number>(
        `select next_file_id from ${catalogAlias}.ducklake_snapshot order by snapshot_id desc limit 1`,
      );
      const path = "ducklake-o'hara.parquet";
      let id = -1;
      const snapshot = await commit(lake, async (tx) => {
        id = await track.registerDataFile(tx, await currentTable(lake, 'main', 'sales'), {
          path,
          recordCount: 100,
          fileSizeBytes: 2060,
          footerSize: 447,
          columns: [
            { columnId: 1, sizeBytes: 410, valueCount: 100, nullCount: 0, min: '10', max: '99', containsNan: null },
            {
              columnId: 2,
              sizeBytes: 520,
              valueCount: 100,
              nullCount: 0,
              min: "o'hara",
              max: 'zoe',
              containsNan: null,
            },
            { columnId: 3, sizeBytes: 300, valueCount: 100, nullCount: 100, min: null, max: null, containsNan: null },
            {
              columnId: 4,
              sizeBytes: 610,
              valueCount: 100,
              nullCount: 3,
              min: '-1.5',
              max: '7.25',
              containsNan: false,
            },
          ],
        });
      });
      expect(id).toBe(before);
      expect(await catalogRows(lake, 'ducklake_data_file', 'table_id = $1', [tableId])).toEqual([
        {
          data_file_id: id,
          table_id: tableId,
          begin_snapshot: snapshot,
          end_snapshot: null,
          file_order: null,
          path,
          path_is_relative: true,
          file_format: 'parquet',
          record_count: 100,
          file_size_bytes: 2060,
          footer_size: 447,
          row_id_start: 12,
          partition_id: null,
          encryption_key: null,
          mapping_id: null,
          partial_max: null,
        },
      ]);
      expect(
        (await catalogRows(lake, 'ducklake_file_column_stats', 'data_file_id = $1', [id], 'column_id')).map((row) => [
          row.column_id,
          row.column_size_bytes,
          row.value_count,
          row.null_count,
          row.min_value,
          row.max_value,
          row.contains_nan,
        ]),
      ).toEqual([
        [1, 410, 100, 0, '10', '99', null],
        [2, 520, 100, 0, "o'hara", 'zoe', null],
        [3, 300, 100, 100, null, null, null],
        [4, 610, 100, 3, '-1.5', '7.25', false],
      ]);
      expect(await catalogRows(lake, 'ducklake_table_stats', 'table_id = $1', [tableId])).toEqual([
        { table_id: tableId, record_count: 107, next_row_id: 112, file_size_bytes: 2960 },
      ]);
      expect(await catalogRows(lake, 'ducklake_table_column_stats', 'table_id = $1', [tableId], 'column_id')).toEqual([
        // '10'…'99' merged with '2'…'9' as integers: 2…99 (as text the max would be '99' but the min '10').
        {
          table_id: tableId,
          column_id: 1,
          contains_null: false,
          contains_nan: null,
          min_value: '2',
          max_value: '99',
          extra_stats: null,
        },
        {
          table_id: tableId,
          column_id: 2,
          contains_null: true,
          contains_nan: null,
          min_value: 'bob',
          max_value: 'zoe',
          extra_stats: null,
        },
        // Only NULLs in the new file: the bounds stay, contains_null becomes true.
        {
          table_id: tableId,
          column_id: 3,
          contains_null: true,
          contains_nan: null,
          min_value: '20.00',
          max_value: '30.00',
          extra_stats: null,
        },
        // No statistics before: the file's own.
        {
          table_id: tableId,
          column_id: 4,
          contains_null: true,
          contains_nan: false,
          min_value: '-1.5',
          max_value: '7.25',
          extra_stats: null,
        },
      ]);
      const changes = await catalogRows(lake, 'ducklake_snapshot_changes', 'snapshot_id = $1', [snapshot]);
      expect(changes.map((change) => change.changes_made)).toEqual([`inserted_into_table:${tableId}`]);
    });
  });
});
