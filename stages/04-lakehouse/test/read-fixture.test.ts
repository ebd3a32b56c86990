import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliError, Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cachedLakeFiles } from '../src/cached-lake-files.ts';
import {
  buildTableQuery,
  catalogAtSnapshot,
  listSnapshots,
  localLakeFiles,
  requireTable,
  resolveSnapshot,
  type SnapshotChange,
} from '../src/ducklake/read/index.ts';
import type { LakeFiles } from '../src/ducklake/read/lake-files.ts';
import type { LakePieces } from '../src/pieces.ts';
import { localObjectStore, referenceLakePieces } from '../src/testing/index.ts';

// A catalog and data files written by DuckDB's official ducklake extension, one
// operation per snapshot, and the rows the extension returns for every table at every
// snapshot (see fixtures/ducklake-extension/README.md). Our reader must agree exactly.
const fixture = join(import.meta.dirname, 'fixtures', 'ducklake-extension');
const catalogPath = join(fixture, 'catalog.duckdb');
const alias = '__lake';
const files = localLakeFiles(fixture);
let visibleDataFiles: LakePieces['visibleDataFiles'];
beforeAll(async () => {
  visibleDataFiles = (await referenceLakePieces()).visibleDataFiles;
});

type Expected = Record<string, string | number | boolean | null>;

/** `gold.typed@18.json` → { schema: 'gold', table: 'typed', snapshot: 18 }. */
function parseExpectedName(file: string): { schema: string; table: string; snapshot: number } {
  const match = /^(?:(.+)\.)?([^.@]+)@(\d+)\.json$/.exec(file);
  if (!match?.[2] || !match[3]) throw new Error(`Unexpected file in expected/: ${file}`);
  return { schema: match[1] ?? 'main', table: match[2], snapshot: Number(match[3]) };
}

const expectedFiles = readdirSync(join(fixture, 'expected'))
  .filter((file) => file.includes('@'))
  .sort();

describe('the DuckLake reader against a catalog written by the official extension', () => {
  let db: Database;

  beforeAll(async () => {
    db = await Database.open(':memory:');
    // The expected JSON shows timestamptz values in UTC (`…+00`).
    await db.run("set TimeZone = 'UTC'");
    await db.run(`attach ${quoteLiteral(catalogPath)} as ${alias} (read_only)`);
  });
  afterAll(() => db.close());

  /** The table's rows at a snapshot, every value as DuckDB's text, in ORDER BY ALL order. */
  async function readAsText(schema: string, table: string, snapshot: number) {
    const query = await buildTableQuery({ db, catalogAlias: alias, files, visibleDataFiles, schema, table, snapshot });
    const names = query.columns.map((column) => column.name);
    // Sort by the typed values (what ORDER BY ALL does), then turn each into text.
    const typed = names.map((name) => `t.${quoteIdentifier(name)}`);
    const rows = await db.all<Record<string, string | null>>(
      `select ${typed.map((value, i) => `cast(${value} as varchar) as v${i}`).join(', ')}
       from (${query.sql}) t order by ${typed.join(', ')}`,
    );
    const described = await db.all<{ column_name: string; column_type: string }>(`describe ${query.sql}`);
    return {
      query,
      described: described.map((column) => ({ name: column.column_name, type: column.column_type })),
      rows: rows.map((row) => names.map((_, i) => row[`v${i}`] ?? null)),
    };
  }

  test('the fixture has an expected file for every table at every snapshot it exists', () => {
    expect(expectedFiles).toHaveLength(33);
    expect(expectedFiles).toContain('gold.typed@18.json');
  });

  test.each(expectedFiles)('%s: the same rows as the extension', async (file) => {
    const { schema, table, snapshot } = parseExpectedName(file);
    const expected = JSON.parse(readFileSync(join(fixture, 'expected', file), 'utf8')) as Expected[];
    const { query, described, rows } = await readAsText(schema, table, snapshot);

    // The SQL really returns the columns the query says, by name and DuckDB type.
    expect(described).toEqual(query.columns);
    const names = query.columns.map((column) => column.name);
    if (expected[0]) expect(names).toEqual(Object.keys(expected[0]));
    expect(rows).toHaveLength(expected.length);

    // JSON numbers (integers, doubles; decimals may be either) compare as numbers, so
    // 1.0 in the JSON matches DuckDB's '1.0'; strings compare as text, exactly.
    const actual = rows.map((row, r) =>
      Object.fromEntries(
        names.map((name, c) => {
          const text = row[c] ?? null;
          const want = expected[r]?.[name];
          if (text === null) return [name, null];
          if (typeof want === 'number') return [name, Number(text)];
          if (typeof want === 'boolean') return [name, text === 'true'];
          return [name, text];
        }),
      ),
    );
    expect(actual).toEqual(expected);
  });

  test('a table that does not exist at a snapshot is an error naming the table and the snapshot', async () => {
    const tables = [...new Set(expectedFiles.map((file) => file.slice(0, file.indexOf('@'))))];
    let checked = 0;
    for (const name of tables) {
      for (let snapshot = 0; snapshot <= 18; snapshot++) {
        if (expectedFiles.includes(`${name}@${snapshot}.json`)) continue;
        const { schema, table } = parseExpectedName(`${name}@${snapshot}.json`);
        const read = buildTableQuery({ db, catalogAlias: alias, files, visibleDataFiles, schema, table, snapshot });
        await expect(read).rejects.toThrow(`Table ${schema}.${table} does not exist at snapshot ${snapshot}.`);
        checked++;
      }
    }
    expect(checked).toBe(4 * 19 - 33);

    // The error is a CliError whose hint lists what does exist then.
    const error = await buildTableQuery({
      db,
      catalogAlias: alias,
      files,
      visibleDataFiles,
      table: 'customers',
      snapshot: 15,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).hint).toBe('Tables at snapshot 15: main.sales, main.events.');
  });

  test('an unknown snapshot id is an error that gives the range', async () => {
    const read = buildTableQuery({ db, catalogAlias: alias, files, visibleDataFiles, table: 'sales', snapshot: 19 });
    await expect(read).rejects.toThrow('There is no snapshot 19 in this lake.');
    const error = await resolveSnapshot(db, alias, { id: -1 }).catch((caught: unknown) => caught);
    expect((error as CliError).hint).toBe('Snapshots: 0–18.');
  });

  test('snapshots resolve by id, by timestamp and as the latest', async () => {
    const snapshots = await listSnapshots(db, alias);
    const time = (id: number) => snapshots[id]?.time ?? '';

    expect(await resolveSnapshot(db, alias, 'latest')).toMatchObject({ id: 18, schemaVersion: 10 });
    expect(await resolveSnapshot(db, alias, { id: 7 })).toEqual({ id: 7, time: time(7), schemaVersion: 3 });
    // Exactly a commit time: that snapshot. Just before the next one: still that one.
    expect((await resolveSnapshot(db, alias, { at: time(5) })).id).toBe(5);
    const justBefore6 = new Date(Date.parse(time(6)) - 1);
    expect((await resolveSnapshot(db, alias, { at: justBefore6 })).id).toBe(5);
    expect((await resolveSnapshot(db, alias, { at: '2100-01-01 00:00:00+00' })).id).toBe(18);
    // A time with another zone is the same moment.
    const shifted = time(12).replace(
      /^(\d{4}-\d\d-\d\d)T(\d\d)/,
      (_, day: string, hour: string) => `${day}T${String(Number(hour) + 2).padStart(2, '0')}`,
    );
    expect((await resolveSnapshot(db, alias, { at: shifted.replace('Z', '+02:00') })).id).toBe(12);

    const before = resolveSnapshot(db, alias, { at: new Date(Date.parse(time(0)) - 60_000) });
    await expect(before).rejects.toThrow(/The lake has no snapshot at or before .*/);
    const error = await resolveSnapshot(db, alias, { at: '2000-01-01T00:00:00Z' }).catch((caught: unknown) => caught);
    expect((error as CliError).hint).toBe(`Its first snapshot (0) was committed at ${time(0)}.`);
  });

  test('list-snapshots returns the 19 snapshots with their schema versions and changes', async () => {
    const snapshots = await listSnapshots(db, alias);
    const expected = JSON.parse(readFileSync(join(fixture, 'expected', 'snapshots.json'), 'utf8')) as {
      snapshot_id: number;
      schema_version: number;
      changes: string;
    }[];
    expect(snapshots.map((snapshot) => snapshot.id)).toEqual([...Array(19).keys()]);
    expect(snapshots.every((snapshot) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(snapshot.time))).toBe(true);
    // The extension's ducklake_snapshots() shows the same changes as a map.
    expect(
      snapshots.map((snapshot) => ({
        snapshot_id: snapshot.id,
        schema_version: snapshot.schemaVersion,
        changes: asExtensionMap(snapshot.changes),
      })),
    ).toEqual(expected);
    expect(snapshots[6]).toMatchObject({
      changesMade: 'deleted_from_table:1,inlined_delete:1',
      changes: [
        { kind: 'deleted_from_table', target: '1' },
        { kind: 'inlined_delete', target: '1' },
      ],
    });
  });

  test('the catalog at a snapshot: columns by id and type, storage paths', async () => {
    const at11 = await catalogAtSnapshot(db, alias, 11);
    expect(at11.dataPath).toBe('data/');
    expect(at11.schemas).toEqual([{ id: 0, name: 'main', path: 'data/main/' }]);
    const sales = requireTable(at11, 'main', 'sales');
    expect(sales.path).toBe('data/main/sales/');
    expect(sales.columns.map(({ id, name, lakeType, duckDbType }) => ({ id, name, lakeType, duckDbType }))).toEqual([
      { id: 1, name: 'id', lakeType: 'int32', duckDbType: 'INTEGER' },
      { id: 2, name: 'customer_name', lakeType: 'varchar', duckDbType: 'VARCHAR' },
      { id: 3, name: 'amount', lakeType: 'decimal(10,2)', duckDbType: 'DECIMAL(10,2)' },
      { id: 4, name: 'sold_on', lakeType: 'date', duckDbType: 'DATE' },
    ]);
    const at4 = await catalogAtSnapshot(db, alias, 4);
    expect(requireTable(at4, 'main', 'sales').columns.at(-1)).toMatchObject({
      name: 'channel',
      initialDefault: 'store',
    });

    const at18 = await catalogAtSnapshot(db, alias, 18);
    expect(requireTable(at18, 'gold', 'typed')).toMatchObject({ path: 'data/gold/typed/', schemaName: 'gold' });
    expect(requireTable(at18, 'gold', 'typed').columns.map((column) => column.duckDbType)).toEqual([
      'BOOLEAN',
      'TINYINT',
      'SMALLINT',
      'BIGINT',
      'DOUBLE',
      'DECIMAL(18,4)',
      'VARCHAR',
      'DATE',
      'TIMESTAMP',
      'TIMESTAMP WITH TIME ZONE',
      'UUID',
    ]);
  });

  test('visible files: data files in order with their delete files, Hive folders in paths', async () => {
    const at8 = await catalogAtSnapshot(db, alias, 8);
    const sales = await visibleDataFiles(db, alias, requireTable(at8, 'main', 'sales'), 8);
    expect(sales.map((file) => [file.id, file.rowIdStart, file.recordCount, file.deleteFiles.length])).toEqual([
      [0, 0, 100, 1],
      [2, 103, 50, 1],
      [5, 153, 11, 0],
    ]);
    expect(sales[0]?.deleteFiles[0]?.path).toMatch(/^data\/main\/sales\/ducklake-.*-delete\.parquet$/);
    // Before the DELETE at snapshot 6 there were no delete files.
    const at5 = await visibleDataFiles(db, alias, requireTable(at8, 'main', 'sales'), 5);
    expect(at5.map((file) => file.deleteFiles.length)).toEqual([0, 0]);

    const at14 = await catalogAtSnapshot(db, alias, 14);
    const events = await visibleDataFiles(db, alias, requireTable(at14, 'main', 'events'), 14);
    expect(events.map((file) => file.path)).toEqual([
      expect.stringMatching(/^data\/main\/events\/year=2023\/ducklake-.*\.parquet$/),
      expect.stringMatching(/^data\/main\/events\/year=2024\/ducklake-.*\.parquet$/),
    ]);
    expect(events.map((file) => file.partitionId)).toEqual([4, 4]);
  });

  test('the catalog file can also be the database itself, opened read-only', async () => {
    const direct = await Database.open(catalogPath, { readOnly: true });
    try {
      const query = await buildTableQuery({
        db: direct,
        catalogAlias: 'catalog',
        files,
        visibleDataFiles,
        table: 'sales',
        snapshot: 18,
      });
      expect(await direct.value(`select count(*) from (${query.sql})`)).toBe(111);
    } finally {
      direct.close();
    }
  });
});

describe('ranged reads of the same fixture: footer first, then only the columns read', () => {
  // The fixture's folder as an object store, read through the cache that fetches byte
  // ranges (local ranged reads: the same planning as over S3), never promoted to whole
  // files, even the smallest: every expected snapshot must still come out, column by
  // column and whole.
  let db: Database;
  const cache = tempDir('fixture-ranged');
  const store = localObjectStore(fixture);
  const ranged = cachedLakeFiles(store, cache.path, { smallFileBytes: 0, wholeFileShare: 2, mergeGapBytes: 0 });
  // The catalog's paths are relative (`data/…`): the same objects, by key.
  const rangedFiles: LakeFiles = {
    localPath: (path) => ranged.localPath(`${store.urlPrefix}${path}`),
    localFiles: (requests, db) =>
      ranged.localFiles(
        requests.map((request) => ({ ...request, path: `${store.urlPrefix}${request.path}` })),
        db,
      ),
  };

  beforeAll(async () => {
    db = await Database.open(':memory:');
    await db.run("set TimeZone = 'UTC'");
    await db.run(`attach ${quoteLiteral(catalogPath)} as ${alias} (read_only)`);
  });
  afterAll(() => {
    db.close();
    cache.remove();
  });

  /** The rows as text, sorted, reading only `columns` (all when undefined). */
  async function rowsOf(schema: string, table: string, snapshot: number, columns?: string[]) {
    const query = await buildTableQuery({
      db,
      catalogAlias: alias,
      files: rangedFiles,
      visibleDataFiles,
      schema,
      table,
      snapshot,
      ...(columns ? { needs: { columns: new Set(columns.map((name) => name.toLowerCase())), filters: [] } } : {}),
    });
    const names = columns ?? query.columns.map((column) => column.name);
    const typed = names.map((name) => `t.${quoteIdentifier(name)}`);
    const rows = await db.all<Record<string, string | null>>(
      `select ${typed.map((value, i) => `cast(${value} as varchar) as v${i}`).join(', ')}
       from (${query.sql}) t order by ${typed.join(', ')}`,
    );
    return rows.map((row) => names.map((_, i) => row[`v${i}`] ?? null));
  }

  test.each(expectedFiles)('%s: every column alone, then all of them, as the extension', async (file) => {
    const { schema, table, snapshot } = parseExpectedName(file);
    const expected = JSON.parse(readFileSync(join(fixture, 'expected', file), 'utf8')) as Expected[];
    const names = Object.keys(expected[0] ?? {});
    const asText = (value: unknown) =>
      value === null || value === undefined ? null : typeof value === 'string' ? value : String(value);
    const numeric = (text: string | null) => (text === null ? null : Number(text));
    for (const name of names) {
      const column = (await rowsOf(schema, table, snapshot, [name])).map(([value]) => value ?? null);
      const want = expected.map((row) => row[name]).map(asText);
      if (expected.some((row) => typeof row[name] === 'number')) {
        expect(column.map(numeric).sort(), `${file}: ${name}`).toEqual(want.map(numeric).sort());
      } else {
        expect([...column].sort(), `${file}: ${name}`).toEqual([...want].sort());
      }
    }
    expect(await rowsOf(schema, table, snapshot)).toHaveLength(expected.length);
  });

  test('the partial copies are partial: fewer bytes fetched than the files hold, and none twice', () => {
    expect(ranged.downloaded.bytes).toBeGreaterThan(0);
    expect(ranged.downloaded.bytes).toBeLessThan(ranged.read.bytes);
  });
});

/** `[created_table "main"."sales"]` → `{tables_created=[main.sales]}`, like ducklake_snapshots(). */
function asExtensionMap(changes: SnapshotChange[]): string {
  const names: Record<string, string> = {
    created_schema: 'schemas_created',
    created_table: 'tables_created',
    inserted_into_table: 'tables_inserted_into',
    deleted_from_table: 'tables_deleted_from',
    altered_table: 'tables_altered',
    dropped_table: 'tables_dropped',
  };
  const grouped = new Map<string, string[]>();
  for (const change of changes) {
    const key = names[change.kind] ?? change.kind;
    const target = change.target.replace(/"((?:[^"]|"")*)"/g, (_, name: string) => name.replaceAll('""', '"'));
    grouped.set(key, [...(grouped.get(key) ?? []), target]);
  }
  return `{${[...grouped].map(([key, targets]) => `${key}=[${targets.join(', ')}]`).join(', ')}}`;
}
