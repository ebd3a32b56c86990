import { join } from 'node:path';
import { quoteLiteral } from '@mart/shared';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildTableQuery } from '../src/ducklake/read/table-query.ts';
import {
  catalogAlias,
  commitSnapshot,
  createTable,
  deleteRows,
  insertRows,
  localTestLake,
  renameColumn,
  requireTable,
  type TestLake,
} from '../src/testing/index.ts';
import { catalogFiles } from './helpers/catalog-invariants.ts';

// A data file is read by the names its own footer gives its field ids, or, when the
// footer cannot vouch for them, through read_parquet's field-id schema map. Both must
// return exactly the table's rows: after a rename (the file keeps the old name) and
// with deleted rows (file_row_number).

describe('reading a data file by its footer names or by field id', () => {
  let lake: TestLake;
  const expected = [
    { id: 2, label: 'b' },
    { id: 3, label: 'c' },
    { id: 4, label: null },
  ];

  beforeAll(async () => {
    lake = await localTestLake();
    await commitSnapshot(lake.session, async (tx) => {
      await createTable(tx, 'main', 't', [
        { name: 'id', type: 'INTEGER' },
        { name: 'name', type: 'VARCHAR' },
      ]);
      const table = await requireTable(tx.db, 'main', 't');
      await insertRows(
        tx,
        lake.store,
        lake.pieces,
        table,
        "select * from (values (1, 'a'), (2, 'b'), (3, 'c'), (4, null)) v(id, name)",
      );
    });
    await commitSnapshot(lake.session, async (tx) => {
      const table = await requireTable(tx.db, 'main', 't');
      await renameColumn(tx, table, 'name', 'label');
      await deleteRows(tx, lake.store, lake.fetch, table, 'id = 1');
    });
  });
  afterAll(async () => {
    await lake?.remove();
  });

  const read = async () => {
    const snapshot = await lake.session.db.value<number>(
      `select max(snapshot_id)::bigint from ${catalogAlias}.ducklake_snapshot`,
    );
    const query = await buildTableQuery({
      db: lake.session.db,
      catalogAlias,
      files: lake.files,
      table: 't',
      snapshot,
      visibleDataFiles: lake.pieces.visibleDataFiles,
    });
    return { sql: query.sql, rows: await lake.session.db.all(`${query.sql} order by id`) };
  };

  test('a file whose footer names every field id is read by those names, the old name after a rename', async () => {
    const { sql, rows } = await read();
    expect(sql).not.toContain('schema = map');
    expect(sql).toContain('cast("name" as VARCHAR) as "label"');
    expect(sql).toContain('file_row_number = true');
    expect(rows).toEqual(expected);
  });

  /** Rewrites the data file: its columns id and name, rows in the same order, plus `extra` (SQL); field ids from `fieldIds`. */
  const rewriteDataFile = async (extra: string, fieldIds: string) => {
    const [data] = (await catalogFiles(lake)).filter((file) => file.kind === 'data');
    if (!data) throw new Error('Test setup: no data file.');
    const path = join(lake.dir, data.fullPath);
    const copy = `${path}.copy.parquet`;
    await lake.session.db.run(
      `copy (select id, name, ${extra} from read_parquet(${quoteLiteral(path)})) to ${quoteLiteral(copy)} (format parquet, field_ids ${fieldIds})`,
    );
    await lake.session.db.run(
      `copy (select * from read_parquet(${quoteLiteral(copy)})) to ${quoteLiteral(path)} (format parquet, field_ids ${fieldIds})`,
    );
    return path;
  };

  test("a column without a field id is none of the table's: the file is still read by name", async () => {
    const path = await rewriteDataFile("'stray' as stray", '{id: 1, name: 2}');
    expect(
      await lake.session.db.all(
        `select name, field_id from parquet_schema(${quoteLiteral(path)}) where name = 'stray'`,
      ),
    ).toEqual([{ name: 'stray', field_id: null }]);
    const { sql, rows } = await read();
    expect(sql).not.toContain('schema = map');
    expect(rows).toEqual(expected);
  });

  test('a file with a nested column is read through the field-id schema map, with the same rows', async () => {
    await rewriteDataFile(
      "{'a': 1, 'name': 'not me'} as extra",
      '{id: 1, name: 2, extra: {__duckdb_field_id: 90, a: 91, name: 92}}',
    );
    const { sql, rows } = await read();
    expect(sql).toContain('schema = map');
    expect(rows).toEqual(expected);
  });

  test('a file with its own column called file_row_number and deletes is refused, naming the file', async () => {
    await rewriteDataFile('(-1)::bigint as file_row_number', '{id: 1, name: 2, file_row_number: 70}');
    await expect(read()).rejects.toThrow(
      /The data file .*ducklake-.*\.parquet of main\.t has a column called file_row_number and rows deleted from it/,
    );
  });
});
