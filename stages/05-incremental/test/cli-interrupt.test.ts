import { join } from 'node:path';
import { runCli, spawnCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { expectExit, queryWarehouse, readRunResults, writeFiles } from './helpers/cli-warehouse.ts';

// Ctrl-C in the middle of a run: a real SIGINT to a real CLI process, sent when the first
// node's line is printed (an event, not a delay). A chain of 200 table models, one
// thread, so the run is still writing when the signal lands and every later model waits
// for an earlier one.
describe('Ctrl-C during stage 5 run', () => {
  const temp = tempDir('stage-05-interrupt');
  const dir = join(temp.path, 'chain');
  const count = 200;
  const models: Record<string, string> = {};
  models['models/m_1.sql'] = 'select range as id from range(1000)';
  for (let i = 2; i <= count; i++) models[`models/m_${i}.sql`] = `select id + 1 as id from {{ ref('m_${i - 1}') }}`;
  writeFiles(dir, {
    'dbt_project.yml':
      'name: chain\nprofile: chain\nmodel-paths: ["models"]\nmodels:\n  chain:\n    +materialized: table\n',
    'profiles.yml':
      'chain:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: chain.duckdb\n      threads: 1\n',
    ...models,
  });
  const env = { MART_DATA_DIR: join(temp.path, 'course-data'), MART_S3_ENDPOINT: '' };
  const db = join(dir, 'chain.duckdb');
  afterAll(() => temp.remove());

  test('the running model finishes, no other starts, exit 130 with what to do; nothing half-built; the next run completes', async () => {
    const run = spawnCli(['stage', '5', 'run', '--project-dir', dir], env);
    await run.waitFor(new RegExp(`1 of ${count} OK`));
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code, run.output()).toBe(130);
    expect(run.stdout()).toMatch(/Interrupted \(Ctrl-C\): \d+ nodes? finished and kept, \d+ not started\./);
    expect(run.stdout()).toContain('Run the same command again to go on');
    expect(run.output()).not.toMatch(/Unexpected error|\n\s+at .+:\d+:\d+/);

    // run_results.json is written: every model either built or skipped for the interrupt.
    const results = readRunResults(join(dir, 'target')).results;
    expect(results).toHaveLength(count);
    const built = results.filter((r) => r.status === 'success');
    const skipped = results.filter((r) => r.status === 'skipped');
    expect(built.length).toBeGreaterThan(0);
    expect(skipped.length).toBeGreaterThan(0);
    expect(built.length + skipped.length).toBe(count);
    for (const r of skipped) expect(r.message).toContain('interrupted (Ctrl-C) before it started');

    // The warehouse holds exactly the built models, whole, and no intermediate relation.
    const tables = await queryWarehouse<{ name: string }>(
      db,
      "select table_name as name from duckdb_tables() where schema_name = 'main'",
    );
    expect(tables.map((t) => t.name).sort()).toEqual(built.map((r) => r.unique_id.replace('model.chain.', '')).sort());
    const last = built.map((r) => Number(r.unique_id.replace('model.chain.m_', ''))).sort((a, b) => b - a)[0];
    expect(await queryWarehouse(db, `select count(*)::int as n, max(id)::int as top from m_${last}`)).toEqual([
      { n: 1000, top: 999 + (last ?? 0) - 1 },
    ]);

    const again = runCli(['stage', '5', 'run', '--project-dir', dir], env);
    expectExit(again, 0);
    expect(readRunResults(join(dir, 'target')).results.every((r) => r.status === 'success')).toBe(true);
    expect(await queryWarehouse(db, `select count(*)::int as n, max(id)::int as top from m_${count}`)).toEqual([
      { n: 1000, top: 999 + count - 1 },
    ]);
  }, 180_000);
});
