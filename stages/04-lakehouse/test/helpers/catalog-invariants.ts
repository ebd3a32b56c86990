// What must hold in a DuckLake catalog our writer produced, after any operation: checked
// against the catalog rows, the objects in the store and the Parquet files themselves.
import { quoteIdentifier, quoteLiteral } from '@mart/shared';
import { expect } from 'vitest';
import { duckDbTypeOf, parseChanges } from '../../src/ducklake/read/index.ts';
import { isUrl, resolveLakePath } from '../../src/given/index.ts';
import { catalogAlias, type TestLake } from '../../src/testing/index.ts';

const at = (table: string) => `${catalogAlias}.${table}`;

/** Tables whose rows carry begin_snapshot / end_snapshot and are written by our writer. */
const versionedTables = [
  'ducklake_schema',
  'ducklake_table',
  'ducklake_column',
  'ducklake_data_file',
  'ducklake_delete_file',
] as const;

/** changes_made kinds that change the lake's structure: each bumps schema_version by one. */
const schemaChanges = new Set([
  'created_schema',
  'dropped_schema',
  'created_table',
  'dropped_table',
  'altered_table',
  'created_view',
  'dropped_view',
]);

interface CatalogFile {
  kind: 'data' | 'delete';
  id: number;
  tableId: number;
  path: string;
  relative: boolean | null;
  count: number;
  bytes: number;
  footer: number;
  dataFileId: number | null;
  begin: number;
  end: number | null;
}

/** A catalog file as the store key it must live at, with the local copy fetched. */
export interface ResolvedFile extends CatalogFile {
  fullPath: string;
  key: string;
}

/** The store key of a full lake path: relative to the bucket (s3://b/…) or to the catalog folder (data/…). */
function keyOf(lake: TestLake, fullPath: string): string {
  if (!isUrl(fullPath)) return fullPath;
  expect(fullPath.startsWith(lake.store.urlPrefix), `${fullPath} is not in ${lake.store.urlPrefix}`).toBe(true);
  return fullPath.slice(lake.store.urlPrefix.length);
}

/** Every data and delete file the catalog has ever listed, with its full path and store key. */
export async function catalogFiles(lake: TestLake): Promise<ResolvedFile[]> {
  const { db } = lake.session;
  const dataPath = await db.value<string>(`select "value" from ${at('ducklake_metadata')} where "key" = 'data_path'`);
  const files = await db.all<CatalogFile>(
    `select 'data' as kind, data_file_id as id, table_id as "tableId", path, path_is_relative as relative,
            record_count as count, file_size_bytes as bytes, footer_size as footer, null::bigint as "dataFileId",
            begin_snapshot as begin, end_snapshot as "end"
       from ${at('ducklake_data_file')}
     union all
     select 'delete', delete_file_id, table_id, path, path_is_relative, delete_count, file_size_bytes, footer_size,
            data_file_id, begin_snapshot, end_snapshot
       from ${at('ducklake_delete_file')}
     order by kind, id`,
  );
  const tables = await db.all<{
    id: number;
    path: string;
    relative: boolean | null;
    schemaPath: string;
    schemaRelative: boolean | null;
  }>(
    `select t.table_id as id, t.path, t.path_is_relative as relative, s.path as "schemaPath", s.path_is_relative as "schemaRelative"
       from ${at('ducklake_table')} t join ${at('ducklake_schema')} s using (schema_id)`,
  );
  return files.map((file) => {
    const table = tables.find((candidate) => candidate.id === file.tableId);
    expect(table, `${file.kind} file ${file.id}: its table ${file.tableId} is not in ducklake_table`).toBeDefined();
    const schemaPath = resolveLakePath(dataPath, table?.schemaPath ?? null, table?.schemaRelative ?? null);
    const tablePath = resolveLakePath(schemaPath, table?.path ?? null, table?.relative ?? null);
    const fullPath = resolveLakePath(tablePath, file.path, file.relative);
    return { ...file, fullPath, key: keyOf(lake, fullPath) };
  });
}

/** The store prefix every lake file lives under: `lake/` for s3://mart-lake/lake/, `data/` for a local lake. */
export async function dataPrefix(lake: TestLake): Promise<string> {
  const dataPath = await lake.session.db.value<string>(
    `select "value" from ${at('ducklake_metadata')} where "key" = 'data_path'`,
  );
  return keyOf(lake, dataPath);
}

/**
 * Checks every invariant of the catalog against itself, the store and the files:
 * - snapshots 0…N contiguous, each with a snapshot_changes row;
 * - ids unique (schemas, tables, data and delete files; column ids and names per table
 *   at every snapshot), next_catalog_id / next_file_id above every id allocated by then;
 * - begin_snapshot <= end_snapshot <= the last snapshot;
 * - every file at data_path + schema path + table path + file path, in the store, with
 *   exactly file_size_bytes bytes; record_count, delete_count, footer_size and the
 *   per-column statistics equal what DuckDB reads from the file; no object under the
 *   data path that the catalog does not list;
 * - table_stats: record_count = the rows the reader returns, next_row_id = rows ever written
 *   (above every row id a file used), file_size_bytes = the bytes of the live data files;
 * - schema_version bumps exactly on structural changes, with ducklake_schema_versions rows.
 */
export async function expectCatalogInvariants(lake: TestLake): Promise<void> {
  const { db } = lake.session;

  // Snapshots: 0…N, each with its changes.
  const snapshots = await db.all<{ id: number; schemaVersion: number; nextCatalogId: number; nextFileId: number }>(
    `select snapshot_id as id, schema_version as "schemaVersion", next_catalog_id as "nextCatalogId",
            next_file_id as "nextFileId"
       from ${at('ducklake_snapshot')} order by snapshot_id`,
  );
  const ids = snapshots.map((snapshot) => snapshot.id);
  expect(ids, 'snapshot ids are 0…N without gaps').toEqual(ids.map((_, i) => i));
  const last = ids.length - 1;
  const changeRows = await db.all<{ id: number; changes: string }>(
    `select snapshot_id as id, changes_made as changes from ${at('ducklake_snapshot_changes')} order by snapshot_id`,
  );
  expect(
    changeRows.map((row) => row.id),
    'one ducklake_snapshot_changes row per snapshot',
  ).toEqual(ids);
  for (const row of changeRows) expect(row.changes, `snapshot ${row.id} says what it changed`).not.toBe('');

  // Every versioned row lives inside the snapshots that exist.
  for (const table of versionedTables) {
    const bad = await db.all(
      `select * from ${at(table)}
        where begin_snapshot is null or begin_snapshot > $1 or end_snapshot > $1 or end_snapshot < begin_snapshot`,
      [last],
    );
    expect(bad, `${table}: begin_snapshot <= end_snapshot <= ${last}`).toEqual([]);
  }

  // Ids.
  const duplicated = async (sql: string) =>
    db.all(`select id, count(*)::bigint as n from (${sql}) group by id having n > 1`);
  expect(await duplicated(`select schema_id as id from ${at('ducklake_schema')}`), 'schema ids unique').toEqual([]);
  expect(await duplicated(`select table_id as id from ${at('ducklake_table')}`), 'table ids unique').toEqual([]);
  expect(
    await duplicated(
      `select distinct schema_id as id from ${at('ducklake_schema')} union all select distinct table_id from ${at('ducklake_table')}`,
    ),
    'schemas and tables share one id counter: no id used twice',
  ).toEqual([]);
  expect(
    await duplicated(
      `select data_file_id as id from ${at('ducklake_data_file')} union all select delete_file_id from ${at('ducklake_delete_file')}`,
    ),
    'data and delete files share one id counter: no id used twice',
  ).toEqual([]);
  for (const field of ['column_id', 'column_name']) {
    const clashes = await db.all(
      `select s.snapshot_id, c.table_id, c.${field}, count(*)::bigint as n
         from ${at('ducklake_snapshot')} s join ${at('ducklake_column')} c
           on c.begin_snapshot <= s.snapshot_id and (c.end_snapshot is null or c.end_snapshot > s.snapshot_id)
        group by all having n > 1 order by all`,
    );
    expect(clashes, `${field} unique per table among the columns visible at each snapshot`).toEqual([]);
  }
  const liveColumns = await db.all(
    `select table_id, column_id, count(*)::bigint as n from ${at('ducklake_column')}
      where end_snapshot is null group by all having n > 1`,
  );
  expect(liveColumns, 'column ids unique per table among live rows').toEqual([]);

  // The id counters: above every id allocated up to a snapshot, never above one allocated later.
  const catalogIds = await db.all<{ id: number; begin: number }>(
    `select schema_id as id, begin_snapshot as begin from ${at('ducklake_schema')}
     union all select table_id, min(begin_snapshot) from ${at('ducklake_table')} group by table_id`,
  );
  const files = await catalogFiles(lake);
  for (const [i, snapshot] of snapshots.entries()) {
    const previous = snapshots[i - 1];
    if (previous) {
      expect(snapshot.nextCatalogId, `next_catalog_id never decreases (${snapshot.id})`).toBeGreaterThanOrEqual(
        previous.nextCatalogId,
      );
      expect(snapshot.nextFileId, `next_file_id never decreases (${snapshot.id})`).toBeGreaterThanOrEqual(
        previous.nextFileId,
      );
    }
    for (const entry of catalogIds) {
      if (entry.begin <= snapshot.id) {
        expect(entry.id, `catalog id ${entry.id} < next_catalog_id of snapshot ${snapshot.id}`).toBeLessThan(
          snapshot.nextCatalogId,
        );
      } else {
        expect(entry.id, `catalog id ${entry.id} >= next_catalog_id of snapshot ${snapshot.id}`).toBeGreaterThanOrEqual(
          snapshot.nextCatalogId,
        );
      }
    }
    for (const file of files) {
      if (file.begin <= snapshot.id) {
        expect(file.id, `file id ${file.id} < next_file_id of snapshot ${snapshot.id}`).toBeLessThan(
          snapshot.nextFileId,
        );
      } else {
        expect(file.id, `file id ${file.id} >= next_file_id of snapshot ${snapshot.id}`).toBeGreaterThanOrEqual(
          snapshot.nextFileId,
        );
      }
    }
  }

  // Tables, columns and files end no later than their table.
  const outlived = await db.all(
    `select 'column' as what, c.table_id, c.column_id as id from ${at('ducklake_column')} c
       join ${at('ducklake_table')} t using (table_id)
      where c.begin_snapshot < t.begin_snapshot or (t.end_snapshot is not null and (c.end_snapshot is null or c.end_snapshot > t.end_snapshot))
     union all
     select 'data file', f.table_id, f.data_file_id from ${at('ducklake_data_file')} f
       join ${at('ducklake_table')} t using (table_id)
      where f.begin_snapshot < t.begin_snapshot or (t.end_snapshot is not null and (f.end_snapshot is null or f.end_snapshot > t.end_snapshot))
     union all
     select 'table', t.table_id, t.table_id from ${at('ducklake_table')} t join ${at('ducklake_schema')} s using (schema_id)
      where t.begin_snapshot < s.begin_snapshot or (s.end_snapshot is not null and (t.end_snapshot is null or t.end_snapshot > s.end_snapshot))`,
  );
  expect(outlived, 'nothing lives outside the lifetime of its table / schema').toEqual([]);

  // Files: in the store with their catalog size; counts, footers and statistics from the file itself.
  const prefix = await dataPrefix(lake);
  const objects = new Map((await lake.store.list(prefix)).map((object) => [object.key, object.size]));
  for (const file of files) {
    const what = `${file.kind} file ${file.id} (${file.key})`;
    expect(objects.get(file.key), `${what}: an object of file_size_bytes bytes`).toBe(file.bytes);
    const local = await lake.fetch(file.key);
    const path = quoteLiteral(local);
    const [facts] = await db.all<{ rows: number; footer: number; bytes: number }>(
      `select (select count(*) from read_parquet(${path}))::bigint as rows, footer_size::bigint as footer,
              file_size_bytes::bigint as bytes
         from parquet_file_metadata(${path})`,
    );
    expect(facts, `${what}: record/delete count, footer and size are the file's`).toEqual({
      rows: file.count,
      footer: file.footer,
      bytes: file.bytes,
    });
    if (file.kind === 'delete') await expectDeleteFile(lake, file, files, local);
    else await expectColumnStats(lake, file, local);
  }
  const referenced = new Set(files.map((file) => file.key));
  const strays = [...objects.keys()].filter((key) => !referenced.has(key));
  expect(strays, `objects under ${prefix} that no catalog row lists`).toEqual([]);

  // At most one delete file applies to a data file at any snapshot.
  const stacked = await db.all(
    `select s.snapshot_id, d.data_file_id, count(*)::bigint as n
       from ${at('ducklake_snapshot')} s join ${at('ducklake_delete_file')} d
         on d.begin_snapshot <= s.snapshot_id and (d.end_snapshot is null or d.end_snapshot > s.snapshot_id)
      group by all having n > 1`,
  );
  expect(stacked, 'one delete file per data file and snapshot').toEqual([]);

  // Table statistics.
  const liveTables = await db.all<{ id: number; schema: string; name: string }>(
    `select t.table_id as id, s.schema_name as schema, t.table_name as name
       from ${at('ducklake_table')} t join ${at('ducklake_schema')} s using (schema_id)
      where t.end_snapshot is null and s.end_snapshot is null order by t.table_id`,
  );
  for (const table of liveTables) {
    const stats = await db.all<{ records: number; nextRowId: number; bytes: number }>(
      `select record_count as records, next_row_id as "nextRowId", file_size_bytes as bytes
         from ${at('ducklake_table_stats')} where table_id = $1`,
      [table.id],
    );
    const rows = await lake.rows(table.schema, table.name);
    const dataFiles = files.filter((file) => file.kind === 'data' && file.tableId === table.id);
    const written = dataFiles.reduce((sum, file) => sum + file.count, 0);
    // The live data files: what a reader scans now (delete files are not counted, as the extension does).
    const liveBytes = dataFiles.filter((file) => file.end === null).reduce((sum, file) => sum + file.bytes, 0);
    expect(
      stats,
      `${table.schema}.${table.name}: one table_stats row; record_count = live rows, next_row_id = rows ever written, file_size_bytes = the live data files' bytes`,
    ).toEqual([{ records: rows.length, nextRowId: written, bytes: liveBytes }]);
    let rowId = 0;
    let lastRowId = 0;
    for (const file of dataFiles) {
      const start = await db.value<number>(
        `select row_id_start from ${at('ducklake_data_file')} where data_file_id = $1`,
        [file.id],
      );
      expect(start, `data file ${file.id}: row ids continue the table's`).toBe(rowId);
      rowId += file.count;
      lastRowId = Math.max(lastRowId, Number(start) + file.count);
    }
    // next_row_id sanity: past every row id a data file ever used, so a new file never reuses one.
    expect(
      Number(stats[0]?.nextRowId ?? 0),
      `${table.schema}.${table.name}: next_row_id past the row ids of every data file`,
    ).toBeGreaterThanOrEqual(lastRowId);
  }

  // schema_version: +1 exactly on structural changes, with a schema_versions row per changed table.
  const versionRows = await db.all<{ begin: number; version: number; tableId: number }>(
    `select begin_snapshot as begin, schema_version as version, table_id as "tableId"
       from ${at('ducklake_schema_versions')} order by all`,
  );
  const createdTables = await db.all<{ id: number; begin: number }>(
    `select table_id as id, min(begin_snapshot) as begin from ${at('ducklake_table')} group by table_id`,
  );
  for (const snapshot of snapshots.slice(1)) {
    const previous = snapshots[snapshot.id - 1];
    const changes = parseChanges(changeRows[snapshot.id]?.changes ?? '');
    const structural = changes.some((change) => schemaChanges.has(change.kind));
    expect(
      snapshot.schemaVersion - (previous?.schemaVersion ?? 0),
      `snapshot ${snapshot.id} (${changeRows[snapshot.id]?.changes}): schema_version +1 exactly on a structural change`,
    ).toBe(structural ? 1 : 0);
    const changedTables = [
      ...createdTables.filter((table) => table.begin === snapshot.id).map((table) => table.id),
      ...changes.filter((change) => change.kind === 'altered_table').map((change) => Number(change.target)),
    ].sort((a, b) => a - b);
    expect(
      versionRows.filter((row) => row.begin === snapshot.id),
      `snapshot ${snapshot.id}: a ducklake_schema_versions row per created or altered table`,
    ).toEqual(changedTables.map((tableId) => ({ begin: snapshot.id, version: snapshot.schemaVersion, tableId })));
  }
}

/** A delete file: distinct positions inside its data file, which it names, and lives no longer than it. */
async function expectDeleteFile(
  lake: TestLake,
  file: ResolvedFile,
  files: ResolvedFile[],
  local: string,
): Promise<void> {
  const what = `delete file ${file.id}`;
  const target = files.find((candidate) => candidate.kind === 'data' && candidate.id === file.dataFileId);
  expect(target, `${what}: its data file ${file.dataFileId} exists`).toBeDefined();
  if (!target) return;
  expect(target.tableId, `${what}: same table as its data file`).toBe(file.tableId);
  expect(file.begin, `${what}: begins after its data file`).toBeGreaterThanOrEqual(target.begin);
  if (target.end !== null) {
    expect(file.end, `${what}: ends when its data file ends, or before`).not.toBeNull();
    expect(file.end ?? 0).toBeLessThanOrEqual(target.end);
  }
  const [content] = await lake.session.db.all(
    `select count(*)::bigint as positions, count(distinct pos)::bigint as distinct_positions,
            min(pos)::bigint as first, max(pos)::bigint as last, list(distinct file_path) as paths
       from read_parquet(${quoteLiteral(local)})`,
  );
  expect(content, `${what}: distinct positions inside the data file, which it names`).toEqual({
    positions: file.count,
    distinct_positions: file.count,
    first: expect.any(Number),
    last: expect.any(Number),
    paths: [target.fullPath],
  });
  expect(Number(content?.first)).toBeGreaterThanOrEqual(0);
  expect(Number(content?.last)).toBeLessThan(target.count);
}

/** ducklake_file_column_stats of a data file: one row per field id in the file, with the file's numbers. */
async function expectColumnStats(lake: TestLake, file: ResolvedFile, local: string): Promise<void> {
  const { db } = lake.session;
  const path = quoteLiteral(local);
  const fields = await db.all<{ name: string; fieldId: number }>(
    `select name, field_id as "fieldId" from parquet_schema(${path}) where field_id is not null order by field_id`,
  );
  const stats = await db.all<{
    columnId: number;
    sizeBytes: number;
    valueCount: number;
    nullCount: number;
    min: string | null;
    max: string | null;
    containsNan: boolean | null;
  }>(
    `select column_id as "columnId", column_size_bytes as "sizeBytes", value_count as "valueCount",
            null_count as "nullCount", min_value as min, max_value as max, contains_nan as "containsNan"
       from ${at('ducklake_file_column_stats')} where data_file_id = $1 order by column_id`,
    [file.id],
  );
  expect(
    stats.map((row) => row.columnId),
    `data file ${file.id}: a statistics row for each field id in the file`,
  ).toEqual(fields.map((field) => field.fieldId));
  for (const field of fields) {
    const type = duckDbTypeOf(
      await db.value<string>(
        `select any_value(column_type) from ${at('ducklake_column')} where table_id = $1 and column_id = $2`,
        [file.tableId, field.fieldId],
      ),
    );
    const name = quoteIdentifier(field.name);
    const float = type === 'DOUBLE' || type === 'FLOAT';
    const [measured] = await db.all(
      `select ${field.fieldId} as "columnId",
              (select sum(total_compressed_size)::bigint from parquet_metadata(${path}) where path_in_schema = ${quoteLiteral(field.name)}) as "sizeBytes",
              count(*)::bigint as "valueCount", (count(*) - count(${name}))::bigint as "nullCount",
              min(${name})::varchar as min, max(${name})::varchar as max,
              ${float ? `bool_or(isnan(${name}))` : 'null::boolean'} as "containsNan"
         from read_parquet(${path})`,
    );
    expect(
      stats.find((row) => row.columnId === field.fieldId),
      `data file ${file.id}, column ${field.fieldId} (${field.name}): statistics as DuckDB reads them from the file`,
    ).toEqual(measured);
  }
}
