import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runCliAsync, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import {
  allSame,
  compareWarehouses,
  copyWarehouse,
  expectExit,
  queryWarehouse,
  readManifest,
  readRunResults,
  resultsByName,
  stackTrace,
  withLake,
} from './helpers/cli-warehouse.ts';

// The "Done when", through the real CLI on a fresh data folder: the stage 4 lake,
// 30 generated days, a build, one more day processed incrementally, a full refresh that
// gives identical tables, a re-run that changes nothing; then the other commands and
// flags on the same warehouse. The tests run in order, each continuing from the last.
describe('pnpm stage 5, from a fresh data folder', () => {
  const data = tempDir('stage-05-cli-build');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage5 = (...args: string[]) => runCli(['stage', '5', ...args], env);
  const warehouse = join(data.path, 'warehouse', 'stage-05.duckdb');
  const target = join(data.path, 'target', 'stage-05');
  const generated = join(data.path, 'generated', 'stage-05');
  afterAll(() => data.remove());

  /** What the build makes in `main`: every model but the ephemeral one, the seed and the snapshot. */
  const relations = () =>
    Object.values(readManifest(target).nodes)
      .filter((node) => node.resource_type !== 'test' && node.config.materialized !== 'ephemeral')
      .map((node) => node.name)
      .sort();
  /** The nodes that write rows (tables, incrementals, seeds, snapshots; not views). */
  const writers = () =>
    Object.values(readManifest(target).nodes)
      .filter(
        (node) => node.resource_type !== 'test' && !['ephemeral', 'view'].includes(String(node.config.materialized)),
      )
      .map((node) => node.name);

  /** The distinct lines and days of one generated day's sales.csv. */
  function batchFile(day: string): { lines: number; days: string[] } {
    const rows = readFileSync(join(generated, day, 'sales.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    const keys = new Set(rows.map((row) => row.split(',').slice(0, 2).join(',')));
    const days = [...new Set(rows.map((row) => row.split(',')[2] as string))].sort();
    return { lines: keys.size, days };
  }

  test('stage 4 build makes the lake stage 5 reads', () => {
    expectExit(runCli(['stage', '4', 'build'], env), 0);
  });

  test('generate --days 30 lands 30 daily batches in bronze, late lines and corrections included', async () => {
    const run = stage5('generate', '--days', '30');
    expectExit(run, 0);
    expect(run.stdout).toContain('Appended 30 days');
    const days = readdirSync(generated).sort();
    expect(days).toEqual(Array.from({ length: 30 }, (_, i) => `2025-01-${String(i + 1).padStart(2, '0')}`));
    for (const day of days) {
      for (const file of ['sales.csv', 'customers.csv', 'products.csv', 'stores.csv']) {
        expect(existsSync(join(generated, day, file)), `${day}/${file}`).toBe(true);
      }
    }
    const counts = [...run.stdout.matchAll(/(\d{4}-\d\d-\d\d): [\d,]+ lines \((\d+) late, (\d+) corrections?\)/g)];
    expect(counts).toHaveLength(30);
    expect(counts.reduce((sum, m) => sum + Number(m[2]), 0)).toBeGreaterThan(0);
    expect(counts.reduce((sum, m) => sum + Number(m[3]), 0)).toBeGreaterThan(0);
    // One ingest per day, each with that day's own sales (the generator's 12-digit ids).
    const ingests = await withLake(data.path, undefined, (db) =>
      db.all<{ day: string }>(
        `select strftime(max(sale_date), '%Y-%m-%d') as day
           from lake.bronze.sales where regexp_full_match(sale_id, 'T[0-9]{12}') group by _ingest_id order by 1`,
      ),
    );
    expect(ingests.map((row) => row.day)).toEqual(days);
    // 30 ingests into the lake: about 20 s on a quiet 2-core machine, a minute when the
    // other packages' tests run beside it, so more room than the default 60 s.
  }, 150_000);

  test('build: every node OK or PASS; rows written and table contents agree with bronze', async () => {
    const run = stage5('build');
    expectExit(run, 0);
    expect(run.stdout).toMatch(/PASS=\d+ WARN=0 ERROR=0 SKIP=0 TOTAL=\d+/);
    // Per node: its status, what it is, its rows and its time.
    expect(run.stdout).toMatch(/\d+ of \d+ OK merge incremental model main\.stg_sales \[[\d,]+ rows in \d+\.\d\ds\]/);
    expect(run.stdout).toMatch(
      /\d+ of \d+ OK microbatch incremental model main\.daily_revenue \[\d+ batches, [\d,]+ rows in/,
    );
    expect(run.stdout).toMatch(/\d+ of \d+ PASS test assert_daily_revenue_matches_sales \[PASS in \d+\.\d\ds\]/);
    const results = readRunResults(target);
    const manifest = readManifest(target);
    expect(results.results.filter((r) => !['success', 'pass'].includes(r.status))).toEqual([]);
    // Every node ran but the ephemeral model (inlined): models, the seed, the snapshot, every test.
    const runnable = Object.values(manifest.nodes).filter((node) => node.config.materialized !== 'ephemeral');
    expect(results.results.map((r) => r.unique_id).sort()).toEqual(runnable.map((node) => node.unique_id).sort());
    const byName = resultsByName(results);
    const rows = (name: string) => byName.get(name)?.adapter_response.rows_affected;
    expect(writers()).toEqual(
      expect.arrayContaining(['stg_sales', 'fct_sales', 'daily_revenue', 'customers_snapshot']),
    );
    for (const name of writers()) expect(rows(name), name).toEqual(expect.any(Number));

    const facts = await withLake(data.path, warehouse, async (db) => ({
      lines: await db.value<number>('select count(distinct (sale_id, line_number))::int from lake.bronze.sales'),
      customers: await db.value<number>('select count(distinct customer_id)::int from lake.bronze.customers'),
      days: await db.value<number>('select (max(sale_date) - min(sale_date) + 1)::int from lake.bronze.sales'),
      fctRows: await db.value<number>('select count(*)::int from wh.main.fct_sales'),
      // The latest version of each line, straight from bronze, against stg_sales.
      stgDiff: await db.value<number>(
        `select count(*)::int from (
           (select sale_id, line_number, quantity, unit_price, _ingest_id from lake.bronze.sales
             qualify row_number() over (partition by sale_id, line_number order by _ingest_id desc) = 1
            except all select sale_id, line_number, quantity, unit_price, _ingest_id from wh.main.stg_sales)
           union all
           (select sale_id, line_number, quantity, unit_price, _ingest_id from wh.main.stg_sales
            except all select sale_id, line_number, quantity, unit_price, _ingest_id from lake.bronze.sales
             qualify row_number() over (partition by sale_id, line_number order by _ingest_id desc) = 1))`,
      ),
      corrected: await db.value<number>(
        `select count(*)::int from (select sale_id, line_number from lake.bronze.sales
           group by all having count(distinct quantity) > 1)`,
      ),
      fctTotal: await db.value<number>('select sum(amount)::double from wh.main.fct_sales'),
      stgTotal: await db.value<number>('select sum(amount)::double from wh.main.stg_sales'),
      // Per day, the microbatched revenue against the fact it is built from.
      dayMismatches: await db.value<number>(
        `select count(*)::int from (
           select sale_date, sum(amount) as revenue, count(distinct sale_id) as sales from wh.main.fct_sales group by 1
           except all
           select sale_date, sum(revenue), sum(sales) from wh.main.daily_revenue group by 1)`,
      ),
      dailyRows: await db.value<number>('select count(*)::int from wh.main.daily_revenue'),
    }));
    expect(facts.corrected, 'bronze holds corrected lines').toBeGreaterThan(0);
    expect(rows('stg_sales')).toBe(facts.lines);
    expect(rows('fct_sales')).toBe(facts.lines);
    expect(facts.fctRows).toBe(facts.lines);
    expect(facts.stgDiff, 'stg_sales holds the latest version of every line').toBe(0);
    expect(facts.fctTotal).toBeCloseTo(facts.stgTotal, 2);
    expect(facts.dayMismatches, 'daily_revenue adds up to fct_sales, day by day').toBe(0);
    expect(rows('daily_revenue')).toBe(facts.dailyRows);
    expect(byName.get('daily_revenue')?.batch_results?.failed).toEqual([]);
    expect(rows('customers_snapshot')).toBe(facts.customers);
    expect(rows('dim_date')).toBe(facts.days);
    expect(rows('region_targets')).toBe(6);
  });

  test('generate --days 1 && build: each incremental model touches only what the new day brought', async () => {
    expectExit(stage5('generate', '--days', '1'), 0);
    const batch = batchFile('2025-01-31');
    expect(batch.days.at(-1)).toBe('2025-01-31');
    expect(batch.days.length, 'the batch carries late lines of earlier days').toBeGreaterThan(1);
    const run = stage5('build');
    expectExit(run, 0);
    const byName = resultsByName(readRunResults(target));
    expect(byName.get('stg_sales')?.adapter_response.rows_affected, 'stg_sales: the batch’s lines').toBe(batch.lines);
    const daily = byName.get('daily_revenue');
    const windows = daily?.batch_results?.successful ?? [];
    expect(windows.length).toBeGreaterThanOrEqual(1);
    expect(windows.length).toBeLessThanOrEqual(2);
    expect(daily?.batch_results?.failed).toEqual([]);
    const inDays = batch.days.map((day) => `date '${day}'`).join(', ');
    const [touched] = await queryWarehouse<{ fct: number; daily: number }>(
      warehouse,
      `select (select count(*)::int from main.fct_sales where sale_date in (${inDays})) as fct,
              (select count(*)::int from main.daily_revenue
                where sale_date >= date '${windows[0]?.[0].slice(0, 10)}' and sale_date < date '${windows.at(-1)?.[1].slice(0, 10)}') as daily`,
    );
    expect(byName.get('fct_sales')?.adapter_response.rows_affected, 'fct_sales: the touched days').toBe(touched?.fct);
    expect(daily?.adapter_response.rows_affected, 'daily_revenue: its batches’ rows').toBe(touched?.daily);
    // Everything bronze holds is there: fct_sales has every line once.
    const check = await withLake(data.path, warehouse, async (db) => ({
      lines: await db.value<number>('select count(distinct (sale_id, line_number))::int from lake.bronze.sales'),
      fct: await db.value<number>('select count(*)::int from wh.main.fct_sales'),
    }));
    expect(check.fct).toBe(check.lines);
  });

  test('build --full-refresh (with --threads 4) gives identical tables', async () => {
    const before = join(data.path, 'copies', 'incremental', 'stage-05.duckdb');
    copyWarehouse(warehouse, before);
    const run = stage5('build', '--full-refresh', '--threads', '4');
    expectExit(run, 0);
    expect(run.stdout).toContain('with 4 threads (full refresh)');
    const results = readRunResults(target);
    expect(results.args).toMatchObject({ full_refresh: true, threads: 4 });
    const stgRows = resultsByName(results).get('stg_sales')?.adapter_response.rows_affected ?? 0;
    expect(stgRows, 'the full refresh rebuilt stg_sales from every line').toBeGreaterThan(3000);
    // The snapshot is not rebuilt by --full-refresh (as in dbt): its current versions are compared.
    expect(await compareWarehouses(before, warehouse, { currentVersionsOnly: ['customers_snapshot'] })).toEqual(
      allSame(relations()),
    );
    const [counted] = await queryWarehouse<{ n: number }>(warehouse, 'select count(*)::int as n from main.stg_sales');
    expect(counted?.n).toBe(stgRows);
  });

  test('build again on the same input changes nothing', async () => {
    const before = join(data.path, 'copies', 'refreshed', 'stage-05.duckdb');
    copyWarehouse(warehouse, before);
    expectExit(stage5('build'), 0);
    const byName = resultsByName(readRunResults(target));
    expect(byName.get('stg_sales')?.adapter_response.rows_affected).toBe(0);
    expect(byName.get('fct_sales')?.adapter_response.rows_affected).toBe(0);
    expect(byName.get('customers_snapshot')?.adapter_response.rows_affected).toBe(0);
    // Everything, the snapshot's history included.
    expect(await compareWarehouses(before, warehouse)).toEqual(allSame(relations()));
  });

  test('into February, a day at a time: January lines arriving late still reach daily_revenue', async () => {
    // February 1st, then February 2nd–3rd, whose batches carry late lines sold in January:
    // the monthly microbatch must re-run January (its lookback), though the previous run
    // already ran February's batch.
    expectExit(stage5('generate', '--days', '1'), 0);
    expectExit(stage5('build'), 0);
    expectExit(stage5('generate', '--days', '2'), 0);
    const late = ['2025-02-02', '2025-02-03'].flatMap((day) => batchFile(day).days.filter((d) => d < '2025-02-01'));
    expect(late.length, 'the batches carry January lines').toBeGreaterThan(0);
    const run = stage5('build');
    expectExit(run, 0);
    const byName = resultsByName(readRunResults(target));
    expect(byName.get('daily_revenue')?.batch_results?.successful).toEqual([
      ['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z'],
      ['2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z'],
    ]);
    expect(byName.get('assert_daily_revenue_matches_sales')?.status).toBe('pass');
    const [mismatches] = await queryWarehouse<{ n: number }>(
      warehouse,
      `select count(*)::int as n from (
         select sale_date, sum(amount) from main.fct_sales group by 1
         except all select sale_date, sum(revenue) from main.daily_revenue group by 1)`,
    );
    expect(mismatches?.n).toBe(0);
  });

  test('ls --output json: one JSON object per line, every resource type', () => {
    const run = stage5('ls', '--output', 'json');
    expectExit(run, 0);
    const nodes = run.stdout
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            unique_id: string;
            name: string;
            resource_type: string;
            config?: { materialized?: string };
          },
      );
    const byId = new Map(nodes.map((node) => [node.unique_id, node]));
    expect(new Set(nodes.map((node) => node.resource_type))).toEqual(
      new Set(['model', 'seed', 'snapshot', 'test', 'source']),
    );
    expect(byId.get('model.mart.stg_sales')?.config?.materialized).toBe('incremental');
    expect(byId.get('model.mart.int_sales_enriched')?.config?.materialized).toBe('ephemeral');
    expect(byId.get('seed.mart.region_targets')?.name).toBe('region_targets');
    expect(byId.get('snapshot.mart.customers_snapshot')?.resource_type).toBe('snapshot');
    expect(byId.get('source.mart.bronze.sales')?.resource_type).toBe('source');
    const manifest = readManifest(target);
    expect(
      nodes
        .filter((node) => node.resource_type !== 'source')
        .map((node) => node.unique_id)
        .sort(),
    ).toEqual(Object.keys(manifest.nodes).sort());
  });

  test('compile -s stg_sales prints its SQL, with the watermark filter once the table exists', () => {
    const run = stage5('compile', '-s', 'stg_sales');
    expectExit(run, 0);
    expect(run.stdout).toContain('from "lake"."bronze"."sales"');
    expect(run.stdout).toContain('where _ingest_id > (select max(_ingest_id) from "stage-05"."main"."stg_sales")');
    expect(run.stdout).not.toContain('{{');
  });

  test('test runs only the data tests, each passing', () => {
    const run = stage5('test');
    expectExit(run, 0);
    const results = readRunResults(target);
    expect(results.args.which).toBe('test');
    const tests = Object.values(readManifest(target).nodes).filter((node) => node.resource_type === 'test');
    expect(results.results.map((r) => r.unique_id).sort()).toEqual(tests.map((node) => node.unique_id).sort());
    expect(new Set(results.results.map((r) => r.status))).toEqual(new Set(['pass']));
  });

  test('seed and snapshot run only their own nodes', () => {
    expectExit(stage5('seed'), 0);
    const seeded = readRunResults(target).results;
    expect(seeded.map((r) => [r.unique_id, r.status, r.adapter_response.rows_affected])).toEqual([
      ['seed.mart.region_targets', 'success', 6],
    ]);
    expectExit(stage5('snapshot'), 0);
    const snapped = readRunResults(target).results;
    // Nothing changed in the customers since the last build: no new versions.
    expect(snapped.map((r) => [r.unique_id, r.status, r.adapter_response.rows_affected])).toEqual([
      ['snapshot.mart.customers_snapshot', 'success', 0],
    ]);
  });

  test('--select and --exclude with graph operators pick the nodes dbt would', () => {
    const ran = (...args: string[]) => {
      expectExit(stage5('run', ...args), 0);
      return readRunResults(target)
        .results.map((r) => r.unique_id.replace('model.mart.', ''))
        .sort();
    };
    // Ancestors, minus one; the ephemeral model is inlined, never run.
    expect(ran('--select', '+fct_sales', '--exclude', 'stg_products')).toEqual([
      'fct_sales',
      'stg_sales',
      'stg_stores',
    ]);
    // One level of children; `config.materialized:` and a union by space in --exclude.
    expect(ran('-s', 'stg_sales+1', '--exclude', 'config.materialized:view dim_date')).toEqual([
      'fct_sales',
      'stg_sales',
    ]);
    // An intersection (comma), with `@` and `tag:`.
    const ls = stage5('ls', '--select', '@fct_sales,tag:marts', '--resource-type', 'model', '--output', 'name');
    expectExit(ls, 0);
    expect(ls.stdout.trim().split('\n')).toEqual([
      'daily_revenue',
      'fct_sales',
      'monthly_revenue_by_region',
      'revenue_by_segment',
    ]);
  });

  test("--vars '{regions: [North]}' changes the pivot's columns", async () => {
    const columns = () =>
      queryWarehouse<{ name: string }>(
        warehouse,
        `select column_name as name from information_schema.columns
          where table_name = 'monthly_revenue_by_region' order by ordinal_position`,
      ).then((rows) => rows.map((row) => row.name));
    expectExit(stage5('run', '-s', 'monthly_revenue_by_region', '--vars', '{regions: [North]}'), 0);
    expect(await columns()).toEqual(['month', 'north_revenue', 'total_revenue', 'total_target']);
    expect(readRunResults(target).args.vars).toEqual({ regions: ['North'] });
    // JSON is YAML too.
    expectExit(stage5('run', '-s', 'monthly_revenue_by_region', '--vars', '{"regions": ["North", "Online"]}'), 0);
    expect(await columns()).toEqual(['month', 'north_revenue', 'online_revenue', 'total_revenue', 'total_target']);
  });

  test('a bad --vars is a usage error (exit 2), no stack trace', async () => {
    // Both stop before the warehouse is opened, so they may run side by side.
    const [list, broken] = await Promise.all([
      runCliAsync(['stage', '5', 'run', '--vars', '[North]'], env),
      runCliAsync(['stage', '5', 'run', '--vars', '{regions: [North'], env),
    ]);
    expectExit(list, 2);
    expect(list.stderr).toContain('--vars must be a mapping of names to values');
    expectExit(broken, 2);
    expect(broken.stderr).toContain('--vars is not valid YAML or JSON');
    expect(list.stderr + broken.stderr).not.toMatch(stackTrace);
  });

  test('clean removes the target folder and never the warehouse', () => {
    expect(existsSync(target)).toBe(true);
    const run = stage5('clean');
    expectExit(run, 0);
    expect(run.stdout).toContain('Removed 1 folder');
    expect(existsSync(target)).toBe(false);
    expect(existsSync(warehouse)).toBe(true);
  });
});
