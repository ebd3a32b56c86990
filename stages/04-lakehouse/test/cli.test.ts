import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  Database,
  embeddedCredentials,
  getBytes,
  type LakeStorage,
  MartPaths,
  openLakeStorage,
  putBytes,
} from '@mart/shared';
import { runCli, tempDir } from '@mart/shared/testing';
import { type InputDir, seedInputDir } from '@mart/stage-02-csv-loads/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { catalogAlias, openLakeSession } from '../src/ducklake/lake-session.ts';
import { localLakeFiles } from '../src/ducklake/read/lake-files.ts';
import { buildTableQuery } from '../src/ducklake/read/table-query.ts';
import { resolveLakePath } from '../src/given/index.ts';
import { referenceLakePieces } from '../src/testing/index.ts';

/** A loopback port nothing listens on: bound once by the OS, then released. */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Test setup: no TCP address.');
  return address.port;
}

// The stage-4 flow through the real CLI, one command at a time, on a fresh data folder
// and the embedded S3 server (MART_S3_ENDPOINT='' overrides any .env). Each command
// starts its own server on the same folder, so the lake persists between commands.
// The tests run in order: each one continues the lake the previous one left.
describe('pnpm stage 4, from a fresh data folder', () => {
  const data = tempDir('stage-04-cli');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage4 = (...args: string[]) => runCli(['stage', '4', ...args], env);
  const catalog = join(data.path, 'lake', 'catalog.duckdb');
  const stackTrace = /\n\s+at .+:\d+:\d+/;
  let input: InputDir | undefined;
  let firstIngest = '';
  afterAll(() => {
    input?.remove();
    data.remove();
  });

  /** The lake's bucket, through an embedded server on the same folder the commands use. */
  async function withBucket<T>(work: (storage: LakeStorage) => Promise<T>): Promise<T> {
    const storage = await openLakeStorage(
      { ...embeddedCredentials, region: 'us-east-1', bucket: 'mart-lake', embedded: true },
      { directory: join(data.path, 'lake', 's3') },
    );
    try {
      return await work(storage);
    } finally {
      await storage.close();
    }
  }
  // Listed through the reference listKeys piece: shared has no second answer to that exercise.
  const objectKeys = (prefix: string) =>
    withBucket(async (storage) => {
      const { listKeys } = await referenceLakePieces();
      return (await listKeys(storage.client, storage.bucket, prefix)).map((object) => object.key).sort();
    });

  /** The catalog's snapshots, read directly from the file. */
  async function snapshots(path = catalog): Promise<{ id: number; time: string }[]> {
    const session = await openLakeSession(path, { readOnly: true });
    try {
      return await session.db.all(
        `select snapshot_id as id, strftime(snapshot_time, '%Y-%m-%dT%H:%M:%S.%fZ') as time
           from ${catalogAlias}.ducklake_snapshot order by 1`,
      );
    } finally {
      session.close();
    }
  }

  function json<T>(run: ReturnType<typeof runCli>): T {
    expect(run.status, run.stdout + run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  }

  test('ingest lands the seeds as bronze: one sales object per day, and the manifest last', async () => {
    const run = stage4('ingest');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const ingest = /Ingest (\w+): 132 objects/.exec(run.stdout);
    expect(ingest, run.stdout).not.toBeNull();
    firstIngest = ingest?.[1] ?? '';
    // One line per table, with its partition count: not 128 sale_date= lines.
    expect(run.stdout).not.toContain('sale_date=');
    expect(run.stdout).toMatch(/bronze\/sales\/\s*│\s*128\s*│\s*128\s*│\s*403\s*│/);
    expect(run.stdout).toMatch(/bronze\/customers\/\s*│\s*│\s*1\s*│/);
    const verbose = stage4('lake', 'ls', 'bronze/sales/');
    expect(verbose.stdout).toContain('128 objects');

    const ls = stage4('lake', 'ls', 'bronze/');
    expect(ls.status, ls.stdout + ls.stderr).toBe(0);
    expect(ls.stdout).toContain('133 objects');
    const keys = ls.stdout.match(/bronze\/[^\s│]+/g) ?? [];
    expect(keys).toContain(`bronze/_ingests/${firstIngest}.json`);
    for (const table of ['customers', 'products', 'stores', 'rejects']) {
      expect(keys).toContain(`bronze/${table}/part-${firstIngest}.parquet`);
    }
    const salesKeys = keys.filter((key) => key.startsWith('bronze/sales/'));
    const days = salesKeys.map((key) => {
      const match = new RegExp(`^bronze/sales/sale_date=(\\d{4}-\\d{2}-\\d{2})/part-${firstIngest}-0\\.parquet$`).exec(
        key,
      );
      expect(match, key).not.toBeNull();
      return match?.[1];
    });
    // The 403 sales lines the seeds load fall on 128 days: one object each.
    expect(new Set(days).size).toBe(128);
    expect(days).toHaveLength(128);

    // The manifest lists every other object of the ingest.
    const manifest = JSON.parse(
      Buffer.from(await withBucket((storage) => getBytes(storage, `bronze/_ingests/${firstIngest}.json`))).toString(),
    ) as { ingest_id: string; objects: { key: string; rows: number }[] };
    expect(manifest.ingest_id).toBe(firstIngest);
    expect(manifest.objects.map((object) => object.key).sort()).toEqual(
      keys.filter((key) => !key.startsWith('bronze/_ingests/')).sort(),
    );
    expect(
      manifest.objects.filter((object) => object.key.startsWith('bronze/sales/')).reduce((n, o) => n + o.rows, 0),
    ).toBe(403);
  });

  test('build commits snapshot 1', () => {
    const run = stage4('build');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Snapshot 1 committed/);
    expect(existsSync(catalog)).toBe(true);
  });

  test('a build of unchanged input commits nothing and says so', async () => {
    const run = stage4('build');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Nothing changed since snapshot 1: no new snapshot.');
    expect(run.stdout).not.toMatch(/Snapshot \d+ committed/);
    expect((await snapshots()).map((snapshot) => snapshot.id)).toEqual([0, 1]);
  });

  test('snapshots --format json: snapshot 0 and snapshot 1 with what it changed', () => {
    const listed = json<{ snapshot: number; schema_version: number; changes: string; message: string }[]>(
      stage4('snapshots', '--format', 'json'),
    );
    expect(listed).toEqual([
      expect.objectContaining({ snapshot: 0, schema_version: 0, changes: 'created_schema', message: '' }),
      expect.objectContaining({
        snapshot: 1,
        schema_version: 1,
        changes: 'created_schema ×2, created_table ×9, inserted_into_table ×9',
        message: `build from ingests ${firstIngest}`,
      }),
    ]);
  });

  test('snapshots reads only the catalog: it works with the S3 endpoint down', async () => {
    const down = `http://127.0.0.1:${await unusedPort()}`;
    const run = runCli(['stage', '4', 'snapshots', '--format', 'json'], { ...env, MART_S3_ENDPOINT: down });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { snapshot: number }[]).map((row) => row.snapshot)).toEqual([0, 1]);
  });

  test('a second ingest with two more sales lines, then build: snapshot 2', async () => {
    const sales = readFileSync(join(new MartPaths().seeds(2), 'sales.csv'), 'utf8');
    expect(sales.endsWith('\n')).toBe(true);
    input = seedInputDir({
      'sales.csv': `${sales}T99999991,1,2024-12-30,C000012,P00010,S005,2,69.56\nT99999991,2,2024-12-30,C000012,P00014,S005,1,175.34\n`,
    });
    const ingest = stage4('ingest', '--input', input.path);
    expect(ingest.status, ingest.stdout + ingest.stderr).toBe(0);
    // The new day is one more object.
    expect(ingest.stdout).toMatch(/Ingest \w+: 133 objects/);
    const build = stage4('build');
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Snapshot 2 committed/);
    expect((await snapshots()).map((snapshot) => snapshot.id)).toEqual([0, 1, 2]);
  });

  test('query: the latest snapshot, --at 1, and --as-of a time between 1 and 2', async () => {
    const count = 'select count(*) as n from silver.fact_sales';
    expect(json(stage4('query', count, '--format', 'json'))).toEqual([{ n: 405 }]);
    expect(json(stage4('query', count, '--at', '1', '--format', 'json'))).toEqual([{ n: 403 }]);
    const [, first, second] = await snapshots();
    const [t1, t2] = [Date.parse(first?.time ?? ''), Date.parse(second?.time ?? '')];
    expect(t2 - t1, 'snapshots 1 and 2 are apart').toBeGreaterThan(10);
    const between = new Date(Math.round((t1 + t2) / 2)).toISOString();
    expect(json(stage4('query', count, '--as-of', between, '--format', 'json'))).toEqual([{ n: 403 }]);
  });

  test('query --at a snapshot that does not exist: exit 1, and the range that does', () => {
    const run = stage4('query', 'select count(*) from silver.fact_sales', '--at', '99');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('There is no snapshot 99 in this lake.');
    expect(run.stderr).toContain('Snapshots: 0–2.');
    expect(run.stderr).not.toMatch(stackTrace);
  });

  test('a failing query is the user\'s: "Your query failed", DuckDB\'s message, the tables at that snapshot', () => {
    const run = stage4('query', 'select * from silver.nope');
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain('Your query failed: Catalog Error: Table with name nope does not exist');
    expect(run.stderr).toContain(
      'Tables at snapshot 2: gold.revenue_by_category, gold.revenue_by_month, gold.store_performance, silver.dim_customer, silver.dim_date, silver.dim_product, silver.dim_store, silver.fact_sales, silver.rejected_rows.',
    );
    expect(run.stderr).not.toContain('Unexpected error');
    expect(run.stderr).not.toMatch(stackTrace);
    const syntax = stage4('query', 'selec 1');
    expect(syntax.status).toBe(1);
    expect(syntax.stderr).toContain('Your query failed: Parser Error: syntax error at or near "selec"');
  });

  test('query --at 0: the empty lake answers, and a table reference says no tables exist then', () => {
    expect(json(stage4('query', 'select 1 as one', '--at', '0', '--format', 'json'))).toEqual([{ one: 1 }]);
    const run = stage4('query', 'select count(*) from silver.fact_sales', '--at', '0');
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain('Your query failed: Catalog Error:');
    expect(run.stderr).toContain('No tables exist at snapshot 0');
    expect(run.stderr).not.toContain('Unexpected error');
  });

  test('query --as-of is validated like --at: a usage error for a non-time, a clear error before the first snapshot', () => {
    const words = stage4('query', 'select 1', '--as-of', 'yesterday');
    expect(words.status, words.stdout + words.stderr).toBe(2);
    expect(words.stderr).toContain('--as-of must be a time');
    expect(words.stderr).toContain('"yesterday"');
    expect(words.stderr).not.toContain('Unexpected error');
    const early = stage4('query', 'select 1', '--as-of', '2000-01-01');
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('The lake has no snapshot at or before 2000-01-01');
    expect(early.stderr).not.toContain('Unexpected error');
  });

  test('a build blocked by a failing check exits 2 and commits nothing', async () => {
    const checks = join(data.path, 'too-strict.yml');
    writeFileSync(checks, 'tables:\n  fact_sales:\n    - check: row_count\n      fail: { max: 1 }\n');
    const before = await objectKeys('lake/');
    const run = stage4('build', '--checks', checks);
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.stdout).toMatch(/Blocked: no snapshot committed/);
    expect(run.stdout).toMatch(/fail\s+fact_sales\.row_count: 405 rows/);
    expect((await snapshots()).map((snapshot) => snapshot.id)).toEqual([0, 1, 2]);
    expect(await objectKeys('lake/')).toEqual(before);
  });

  test('a sql check runs read-only: one that deletes rows errors, and silver keeps its rows', async () => {
    // Two statements in one `sql:` (the runner wraps it in a subquery, the text closes it):
    // in a writable session the delete would empty silver.fact_sales before the commit.
    const checks = join(data.path, 'deleting.yml');
    writeFileSync(
      checks,
      'tables:\n  fact_sales:\n    - check: sql\n      name: sneaky\n      sql: "select 1 where false) t; delete from fact_sales; select * from (select 1"\n',
    );
    const run = stage4('build', '--checks', checks);
    expect(run.status, run.stdout + run.stderr).toBe(3);
    expect(run.stdout).toMatch(/Blocked: no snapshot committed/);
    expect((await snapshots()).map((snapshot) => snapshot.id)).toEqual([0, 1, 2]);
    expect(json(stage4('query', 'select count(*) as n from silver.fact_sales', '--format', 'json'))).toEqual([
      { n: 405 },
    ]);
  });

  test('inspect reads the local serving copy of the latest committed snapshot', async () => {
    const serving = join(data.path, 'warehouse', 'stage-04.duckdb');
    expect(existsSync(serving)).toBe(true);
    const tables = json<{ name: string; rows: number }[]>(stage4('inspect', '--format', 'json'));
    const db = await Database.open(serving, { readOnly: true });
    try {
      const inFile = await db.all<{ name: string }>(
        'select table_name as name from information_schema.tables order by 1',
      );
      expect(tables.map((table) => table.name).sort()).toEqual(inFile.map((table) => table.name));
    } finally {
      db.close();
    }
    // Snapshot 2's rows: the blocked build did not replace it.
    expect(tables.find((table) => table.name === 'fact_sales')?.rows).toBe(405);
    expect(tables.find((table) => table.name === 'gold_revenue_by_month')?.rows).toBe(12);
  });

  test('explore over gold: the gold marts after stage 1 analyses, equal to the lake table', async () => {
    const stores = json<{ store_id: string; revenue: number }[]>(
      stage4('explore', '--query', 'gold-store-performance', '--format', 'json'),
    );
    const fromLake = json<{ store_id: string; revenue: number }[]>(
      stage4(
        'query',
        'select store_id, revenue from gold.store_performance order by revenue desc, store_id',
        '--format',
        'json',
      ),
    );
    expect(stores.map(({ store_id, revenue }) => ({ store_id, revenue }))).toEqual(fromLake);
    expect(stores).toHaveLength(6);
  });

  test('export writes the star schema and the gold marts of the serving copy', () => {
    const out = join(data.path, 'exported');
    const run = stage4('export', '--out', out);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const files = readdirSync(out).sort();
    for (const mart of ['revenue_by_category', 'revenue_by_month', 'store_performance']) {
      expect(files).toContain(`gold_${mart}.csv`);
    }
    expect(readFileSync(join(out, 'gold_revenue_by_month.csv'), 'utf8').split('\n')[0]).toBe(
      'month,revenue,sales,units',
    );
  });

  test('lake gc --dry-run on a clean lake: nothing to delete', () => {
    const run = stage4('lake', 'gc', '--dry-run');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Would delete 0 unreferenced objects \(0 bytes\)/);
  });

  test('lake gc deletes exactly the objects nothing refers to', async () => {
    const strays = [
      'lake/silver/fact_sales/ducklake-stray.parquet',
      'bronze/sales/sale_date=2024-12-31/part-stray.parquet',
    ];
    const before = await objectKeys('');
    await withBucket(async (storage) => {
      for (const key of strays) await putBytes(storage, key, 'not referenced by anything');
    });
    const run = stage4('lake', 'gc');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Deleted 2 unreferenced objects/);
    for (const key of strays) expect(run.stdout).toContain(key);
    expect(await objectKeys('')).toEqual(before);
  });

  test('lake pull: catalog.duckdb and data/, data_path data/, every file of the latest snapshot with its size', async () => {
    const dir = join(data.path, 'pulled');
    const run = stage4('lake', 'pull', dir);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(existsSync(join(dir, 'catalog.duckdb'))).toBe(true);
    // Outside the folder the command ran in (the repository): shown absolute, not as ../../tmp/….
    expect(run.stdout).toMatch(/Pulled the catalog and \d+ data files into /);
    expect(run.stdout).toContain(` data files into ${dir}/.`);
    expect(run.stdout).not.toContain('../');
    // What the official extension accepts: no DATA_PATH (the relative data/ resolves beside the catalog).
    expect(run.stdout).toContain(`ATTACH 'ducklake:${join(dir, 'catalog.duckdb')}' AS lake;`);
    expect(run.stdout).not.toContain('DATA_PATH');
    const session = await openLakeSession(join(dir, 'catalog.duckdb'), { readOnly: true });
    try {
      const { db } = session;
      const dataPath = await db.value<string>(
        `select "value" from ${catalogAlias}.ducklake_metadata where "key" = 'data_path'`,
      );
      expect(dataPath).toBe('data/');
      const files = await db.all<Record<string, string | number | boolean | null>>(
        `select s.path as schema_path, s.path_is_relative as schema_relative, t.path as table_path,
                t.path_is_relative as table_relative, f.path, f.path_is_relative as relative, f.file_size_bytes
           from (select table_id, path, path_is_relative, file_size_bytes, begin_snapshot, end_snapshot from ${catalogAlias}.ducklake_data_file
                 union all
                 select table_id, path, path_is_relative, file_size_bytes, begin_snapshot, end_snapshot from ${catalogAlias}.ducklake_delete_file) f
           join ${catalogAlias}.ducklake_table t using (table_id)
           join ${catalogAlias}.ducklake_schema s using (schema_id)
          where f.end_snapshot is null`,
      );
      expect(files.length).toBeGreaterThanOrEqual(9);
      for (const file of files) {
        const schema = resolveLakePath(dataPath, file.schema_path as string, file.schema_relative as boolean);
        const table = resolveLakePath(schema, file.table_path as string, file.table_relative as boolean);
        const local = join(dir, resolveLakePath(table, file.path as string, file.relative as boolean));
        expect(existsSync(local), local).toBe(true);
        expect(statSync(local).size, local).toBe(file.file_size_bytes);
      }
      // The copy reads on its own, time travel included.
      const count = async (snapshot: number) => {
        const query = await buildTableQuery({
          db,
          catalogAlias,
          files: localLakeFiles(dir),
          schema: 'silver',
          table: 'fact_sales',
          snapshot,
          visibleDataFiles: (await referenceLakePieces()).visibleDataFiles,
        });
        return db.value<number>(`select count(*)::bigint from (${query.sql})`);
      };
      expect(await count(2)).toBe(405);
      expect(await count(1)).toBe(403);
    } finally {
      session.close();
    }
  });

  test('query output says what it read: files pruned, bytes fetched of those in the visible files', () => {
    rmSync(join(data.path, 'lake', 'cache'), { recursive: true, force: true });
    const run = stage4('query', 'select count(*) as n from silver.dim_store');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /; 1 of 1 data file read \(0 pruned by their min\/max\); [\d,]+ bytes fetched of the [\d,]+ bytes in the visible files \(100 %\)/,
    );
    // Read again: everything comes from the cache, through the plan the first query saved.
    const plans = join(data.path, 'lake', 'cache', '.plans');
    expect(readdirSync(plans).filter((name) => name.endsWith('.json')).length).toBeGreaterThan(0);
    const again = stage4('query', 'select count(*) as n from silver.dim_store');
    expect(again.stdout).toMatch(/nothing fetched of the [\d,]+ bytes in the visible files: all from the cache/);
    const rowsOf = (stdout: string) => stdout.split('\nsnapshot ')[0];
    expect(rowsOf(again.stdout)).toBe(rowsOf(run.stdout));
  });

  test('a second writer process is refused while this one holds the catalog', async () => {
    const holder = await openLakeSession(catalog);
    let run: ReturnType<typeof runCli>;
    try {
      run = stage4('build');
    } finally {
      holder.close();
    }
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`The lake catalog ${catalog} is in use by another command (process ${process.pid}).`);
    expect(run.stderr).not.toMatch(stackTrace);
    expect((await snapshots()).map((snapshot) => snapshot.id)).toEqual([0, 1, 2]);
  });

  test('while an ingest holds the catalog, lake gc and another ingest are refused and nothing is deleted', async () => {
    // An ingest opens the catalog for writing while it uploads: the lock that keeps gc
    // from deleting bronze objects whose manifest is not written yet.
    const before = stage4('lake', 'ls', 'bronze/').stdout;
    const holder = await openLakeSession(catalog);
    let gc: ReturnType<typeof runCli>;
    let ingest: ReturnType<typeof runCli>;
    try {
      gc = stage4('lake', 'gc');
      ingest = stage4('ingest');
    } finally {
      holder.close();
    }
    for (const run of [gc, ingest]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`is in use by another command (process ${process.pid}).`);
    }
    expect(stage4('lake', 'ls', 'bronze/').stdout).toBe(before);
  });
});
