import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
import { buildTableQuery } from '@mart/stage-04-lakehouse';
import {
  catalogAlias,
  createTable,
  deleteRows,
  endTableFiles,
  insertRows,
  localTestLake,
  type TestLake,
} from '@mart/stage-04-lakehouse/testing';
import * as track from '@mart/track/04-lakehouse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { commit, currentTable, piecesWith } from '../helpers/lake.ts';

// A catalog written by DuckDB's official ducklake extension (see the README next to it):
// snapshot 2 inserted 100 rows into sales (file 0), 3 inlined 3 rows, 5 inserted 50
// (file 2), 6 deleted rows from both files (delete files 4 → file 0, 3 → file 2),
// 8 updated rows (file 5 holds the new versions), 9–10 created and filled customers
// (file 6), 12–14 created and filled the partitioned events (files 7, 8 in year=…/
// folders), 15 dropped customers.
const fixture = join(
  import.meta.dirname,
  '..',
  '..',
  'stages',
  '04-lakehouse',
  'test',
  'fixtures',
  'ducklake-extension',
);
const sales = { id: 1, path: 'data/main/sales/' };
const customers = { id: 2, path: 'data/main/customers/' };
const events = { id: 3, path: 'data/main/events/' };
const file0 = 'ducklake-01a20228-8b4f-7854-bdc0-1f94e0dac403.parquet';
const file2 = 'ducklake-01a20228-8b7e-7b8b-a2f9-b53944bed429.parquet';

describe('visible-files', () => {
  describe("on the official extension's catalog", () => {
    let db: Database;
    // Not the stage's alias: the piece must use the one it is given.
    const alias = 'extension lake';

    beforeAll(async () => {
      db = await Database.open(':memory:');
      await db.run(`attach ${quoteLiteral(join(fixture, 'catalog.duckdb'))} as ${quoteIdentifier(alias)} (read_only)`);
    });
    afterAll(() => db?.close());

    /** [data file id, [its delete file ids]] at a snapshot. */
    async function filesAt(table: { id: number; path: string }, snapshot: number) {
      const files = await track.visibleDataFiles(db, alias, table, snapshot);
      return files.map((file) => [file.id, file.deleteFiles.map((deletes) => deletes.id)]);
    }

    test('sales, snapshot by snapshot: the data files then, each with the delete files that apply then', async () => {
      expect(await filesAt(sales, 1)).toEqual([]);
      expect(await filesAt(sales, 2)).toEqual([[0, []]]);
      // Snapshot 3's rows were inlined into the catalog: no new file.
      expect(await filesAt(sales, 3)).toEqual([[0, []]]);
      expect(await filesAt(sales, 4)).toEqual([[0, []]]);
      expect(await filesAt(sales, 5)).toEqual([
        [0, []],
        [2, []],
      ]);
      // The DELETE: one delete file per data file (their ids are in the other order).
      expect(await filesAt(sales, 6)).toEqual([
        [0, [4]],
        [2, [3]],
      ]);
      expect(await filesAt(sales, 7)).toEqual([
        [0, [4]],
        [2, [3]],
      ]);
      expect(await filesAt(sales, 8)).toEqual([
        [0, [4]],
        [2, [3]],
        [5, []],
      ]);
      expect(await filesAt(sales, 18)).toEqual(await filesAt(sales, 8));
    });

    test('every field of a data file and of its delete file, paths resolved against the table path', async () => {
      const at6 = await track.visibleDataFiles(db, alias, sales, 6);
      expect(at6).toEqual([
        {
          id: 0,
          path: `data/main/sales/${file0}`,
          format: 'parquet',
          fileOrder: null,
          recordCount: 100,
          rowIdStart: 0,
          partitionId: null,
          mappingId: null,
          partialMax: null,
          encrypted: false,
          deleteFiles: [
            {
              id: 4,
              path: 'data/main/sales/ducklake-01a20228-8b8d-7270-a77c-956090eb75e3-delete.parquet',
              format: 'parquet',
              deleteCount: 20,
              partialMax: null,
              encrypted: false,
            },
          ],
        },
        {
          id: 2,
          path: `data/main/sales/${file2}`,
          format: 'parquet',
          fileOrder: null,
          recordCount: 50,
          rowIdStart: 103,
          partitionId: null,
          mappingId: null,
          partialMax: null,
          encrypted: false,
          deleteFiles: [
            {
              id: 3,
              path: 'data/main/sales/ducklake-01a20228-8b8d-738f-81b0-e0575779d442-delete.parquet',
              format: 'parquet',
              deleteCount: 20,
              partialMax: null,
              encrypted: false,
            },
          ],
        },
      ]);
      // The same table under another path (a lake moved to a bucket): paths follow it.
      const moved = await track.visibleDataFiles(db, alias, { id: 1, path: 's3://bucket/lake/main/sales/' }, 5);
      expect(moved.map((file) => file.path)).toEqual([
        `s3://bucket/lake/main/sales/${file0}`,
        `s3://bucket/lake/main/sales/${file2}`,
      ]);
    });

    test('other tables: nothing before a table existed, nothing once it was dropped, partition folders kept', async () => {
      expect(await filesAt(customers, 9)).toEqual([]);
      expect(await filesAt(customers, 10)).toEqual([[6, []]]);
      expect(await filesAt(customers, 14)).toEqual([[6, []]]);
      // DROP TABLE at 15 ended the file: gone from 15 on, still there at 14 (time travel).
      expect(await filesAt(customers, 15)).toEqual([]);
      expect(await filesAt(customers, 18)).toEqual([]);

      expect(await filesAt(events, 13)).toEqual([]);
      const at14 = await track.visibleDataFiles(db, alias, events, 14);
      expect(
        at14.map(({ id, path, partitionId, rowIdStart, recordCount }) => ({
          id,
          path,
          partitionId,
          rowIdStart,
          recordCount,
        })),
      ).toEqual([
        {
          id: 7,
          path: 'data/main/events/year=2023/ducklake-01a20228-8c37-7622-a1b3-3092242ad5de.parquet',
          partitionId: 4,
          rowIdStart: 0,
          recordCount: 4,
        },
        {
          id: 8,
          path: 'data/main/events/year=2024/ducklake-01a20228-8c37-78cd-8fc6-018944839a37.parquet',
          partitionId: 4,
          rowIdStart: 4,
          recordCount: 36,
        },
      ]);
    });

    test("time travel through your visibleDataFiles: the reader returns the extension's rows at every snapshot", async () => {
      const files = { localPath: async (path: string) => join(fixture, path) };
      const expected = (name: string) =>
        JSON.parse(readFileSync(join(fixture, 'expected', `${name}.json`), 'utf8')) as { id?: number }[];
      const tables = [
        { table: 'sales', ref: sales, from: 1, to: 18 },
        { table: 'customers', ref: customers, from: 9, to: 14 },
        { table: 'events', ref: events, from: 12, to: 18 },
      ];
      for (const { table, ref, from, to } of tables) {
        let previous = '';
        for (let snapshot = from; snapshot <= to; snapshot++) {
          const want = expected(`${table}@${snapshot}`);
          // Reading a table is the slow part (≈ 25 ms a snapshot). Where neither your
          // visible files nor the extension's rows changed since the snapshot before,
          // the reader would read exactly what it read there: skip it.
          const seen = JSON.stringify([await track.visibleDataFiles(db, alias, ref, snapshot), want]);
          if (seen === previous) continue;
          previous = seen;
          const query = await buildTableQuery({
            db,
            catalogAlias: alias,
            files,
            table,
            snapshot,
            visibleDataFiles: track.visibleDataFiles,
          });
          const rows = await db.all<{ id: number }>(`select * from (${query.sql}) order by all`);
          expect(rows.length, `${table} at snapshot ${snapshot}`).toBe(want.length);
          if (table === 'sales') {
            const ids = (list: { id?: number }[]) => list.map((row) => Number(row.id)).sort((a, b) => a - b);
            expect(ids(rows), `sales ids at snapshot ${snapshot}`).toEqual(ids(want));
          }
        }
      }
    });
  });

  describe('on a lake written here', () => {
    let lake: TestLake;
    beforeAll(async () => {
      lake = await localTestLake(piecesWith({ visibleDataFiles: track.visibleDataFiles }));
    });
    afterAll(async () => {
      await lake?.remove();
    });

    test('ordered by file_order (NULLs last), then data_file_id; begin included, end excluded; every field as stored', async () => {
      // Catalog rows written by hand for table 42, in a scrambled order.
      const dataFile = (
        id: number,
        begin: number,
        end: number | null,
        order: number | null,
        extra: { path?: string; relative?: boolean | null; format?: string | null; table?: number } = {},
      ) =>
        lake.session.db.run(
          `insert into ${catalogAlias}.ducklake_data_file
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1000, 100, $10, null, null, null, null)`,
          [
            id,
            extra.table ?? 42,
            begin,
            end,
            order,
            extra.path ?? `f${id}.parquet`,
            extra.relative === undefined ? true : extra.relative,
            extra.format === undefined ? 'parquet' : extra.format,
            id * 10,
            id * 100,
          ],
        );
      await dataFile(113, 1, null, null);
      await dataFile(111, 2, null, 2);
      await dataFile(110, 1, null, null, { path: '/mnt/elsewhere/f110.parquet', relative: false });
      await dataFile(112, 3, null, 1, { format: null, relative: null });
      await dataFile(109, 1, 5, null); // ended at 5: not visible at 5
      await dataFile(114, 6, null, 0); // added at 6: not yet
      await dataFile(115, 5, null, null); // added at 5: visible
      await dataFile(116, 1, 6, 3); // ends at 6: still visible at 5
      await dataFile(117, 1, null, 0, { table: 43 }); // another table
      await lake.session.db.run(
        `update ${catalogAlias}.ducklake_data_file
            set encryption_key = 'secret', mapping_id = 7, partial_max = 4 where data_file_id = 113`,
      );
      const deleteFile = (id: number, dataFileId: number, begin: number, end: number | null, table = 42) =>
        lake.session.db.run(
          `insert into ${catalogAlias}.ducklake_delete_file
           values ($1, $2, $3, $4, $5, $6, true, 'parquet', $7, 500, 50, null, null)`,
          [id, table, begin, end, dataFileId, `d${id}-delete.parquet`, id - 200],
        );
      await deleteFile(212, 110, 1, null);
      await deleteFile(211, 110, 2, 5); // replaced at 5
      await deleteFile(213, 110, 5, null);
      await deleteFile(210, 113, 1, null);
      await deleteFile(214, 111, 6, null); // not yet at 5
      await lake.session.db.run(
        `update ${catalogAlias}.ducklake_delete_file
            set format = null, encryption_key = 'k', partial_max = 3 where delete_file_id = 210`,
      );

      const at5 = await track.visibleDataFiles(lake.session.db, catalogAlias, { id: 42, path: 'data/main/t/' }, 5);
      expect(at5.map((file) => [file.id, file.fileOrder])).toEqual([
        [112, 1],
        [111, 2],
        [116, 3],
        [110, null],
        [113, null],
        [115, null],
      ]);
      expect(at5.find((file) => file.id === 110)).toEqual({
        id: 110,
        path: '/mnt/elsewhere/f110.parquet',
        format: 'parquet',
        fileOrder: null,
        recordCount: 1100,
        rowIdStart: 11000,
        partitionId: null,
        mappingId: null,
        partialMax: null,
        encrypted: false,
        deleteFiles: [
          {
            id: 212,
            path: 'data/main/t/d212-delete.parquet',
            format: 'parquet',
            deleteCount: 12,
            partialMax: null,
            encrypted: false,
          },
          {
            id: 213,
            path: 'data/main/t/d213-delete.parquet',
            format: 'parquet',
            deleteCount: 13,
            partialMax: null,
            encrypted: false,
          },
        ],
      });
      // A NULL format is Parquet; a NULL path_is_relative is relative.
      expect(at5.find((file) => file.id === 112)).toMatchObject({
        path: 'data/main/t/f112.parquet',
        format: 'parquet',
      });
      expect(at5.find((file) => file.id === 113)).toMatchObject({
        encrypted: true,
        mappingId: 7,
        partialMax: 4,
        deleteFiles: [{ id: 210, format: 'parquet', encrypted: true, partialMax: 3, deleteCount: 10 }],
      });
      expect(at5.find((file) => file.id === 111)?.deleteFiles).toEqual([]);

      const at6 = await track.visibleDataFiles(lake.session.db, catalogAlias, { id: 42, path: 'data/main/t/' }, 6);
      expect(at6.map((file) => file.id)).toEqual([114, 112, 111, 110, 113, 115]);
      expect(at6.find((file) => file.id === 111)?.deleteFiles.map((deletes) => deletes.id)).toEqual([214]);
      const other = await track.visibleDataFiles(lake.session.db, catalogAlias, { id: 43, path: 'data/main/u/' }, 5);
      expect(other.map((file) => file.id)).toEqual([117]);
    });

    test('insert, insert, delete, replace: the files each snapshot sees, and lake.rows() reads them back', async () => {
      const created = await commit(lake, (tx) =>
        createTable(tx, 'main', 'visits', [
          { name: 'id', type: 'INTEGER' },
          { name: 'page', type: 'VARCHAR' },
        ]),
      );
      const insert = async (sql: string) => {
        let key = '';
        const snapshot = await commit(lake, async (tx) => {
          const written = await insertRows(
            tx,
            lake.store,
            lake.pieces,
            await currentTable(lake, 'main', 'visits'),
            sql,
          );
          key = written?.key ?? '';
        });
        return { snapshot, key };
      };
      const first = await insert("select * from (values (1, 'home'), (2, 'cart'), (3, 'home')) t(id, page)");
      const second = await insert("select * from (values (4, 'faq'), (5, 'home')) t(id, page)");
      const deleted = await commit(lake, async (tx) => {
        await deleteRows(tx, lake.store, lake.fetch, await currentTable(lake, 'main', 'visits'), 'id = 2');
      });
      const replaced = await commit(lake, async (tx) => {
        const table = await currentTable(lake, 'main', 'visits');
        await endTableFiles(tx, table.tableId);
        await insertRows(
          tx,
          lake.store,
          lake.pieces,
          table,
          "select * from (values (10, 'new'), (11, 'new')) t(id, page)",
        );
      });

      const table = await currentTable(lake, 'main', 'visits');
      const filesAt = async (snapshot: number) =>
        (
          await track.visibleDataFiles(
            lake.session.db,
            catalogAlias,
            { id: table.tableId, path: 'data/main/visits/' },
            snapshot,
          )
        ).map((file) => ({
          path: file.path,
          rows: file.recordCount,
          rowIdStart: file.rowIdStart,
          deletes: file.deleteFiles.length,
        }));
      // In a local lake a file's resolved path is its key: data/main/visits/ducklake-….parquet.
      expect(await filesAt(created)).toEqual([]);
      expect(await filesAt(first.snapshot)).toEqual([{ path: first.key, rows: 3, rowIdStart: 0, deletes: 0 }]);
      expect(await filesAt(second.snapshot)).toEqual([
        { path: first.key, rows: 3, rowIdStart: 0, deletes: 0 },
        { path: second.key, rows: 2, rowIdStart: 3, deletes: 0 },
      ]);
      expect(await filesAt(deleted)).toEqual([
        { path: first.key, rows: 3, rowIdStart: 0, deletes: 1 },
        { path: second.key, rows: 2, rowIdStart: 3, deletes: 0 },
      ]);
      const now = await filesAt(replaced);
      expect(now).toEqual([
        {
          path: expect.stringMatching(/^data\/main\/visits\/ducklake-.+\.parquet$/),
          rows: 2,
          rowIdStart: 5,
          deletes: 0,
        },
      ]);
      expect([first.key, second.key]).not.toContain(now[0]?.path);

      // lake.rows() reads through your visibleDataFiles: time travel.
      const ids = async (snapshot: number) => (await lake.rows('main', 'visits', snapshot)).map((row) => row.id);
      expect(await ids(created)).toEqual([]);
      expect(await ids(first.snapshot)).toEqual([1, 2, 3]);
      expect(await ids(second.snapshot)).toEqual([1, 2, 3, 4, 5]);
      expect(await ids(deleted)).toEqual([1, 3, 4, 5]);
      expect(await ids(replaced)).toEqual([10, 11]);
      expect(await lake.rows('main', 'visits')).toEqual([
        { id: 10, page: 'new' },
        { id: 11, page: 'new' },
      ]);
    });
  });
});
