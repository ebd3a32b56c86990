// `pnpm stage 6 materialize`, `runs` and `assets` through the real CLI, on the real
// pipeline (stages 2–5), in a fresh data folder with the embedded S3 server and small
// data. The tests run in order: each continues the lake and the run history the
// previous one left.
import { join } from 'node:path';
import { runCli, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RunStorage } from '../src/storage/index.ts';

describe('pnpm stage 6 materialize, runs, assets', () => {
  const data = tempDir('stage-06-cli');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage = (n: number, ...args: string[]) => runCli(['stage', String(n), ...args], env);
  const storage = () => RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
  const stackTrace = /\n\s+at .+:\d+:\d+/;
  afterAll(() => data.remove());

  beforeAll(() => {
    const build = stage(4, 'build');
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const days = stage(5, 'generate', '--days', '4', '--lines-per-day', '15');
    expect(days.status, days.stdout + days.stderr).toBe(0);
  });

  /** Materializations of `asset` in `runId`, one per partition. */
  function partitionsMaterialized(runIds: readonly string[], asset: string): string[] {
    const db = storage();
    try {
      return runIds
        .flatMap((runId) => db.materializations({ runId, assetKey: asset }).map((m) => m.partitionKey ?? ''))
        .sort();
    } finally {
      db.close();
    }
  }

  test('materialize builds everything from the raw files to gold and the dbt marts', () => {
    const run = stage(6, 'materialize');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/running +lake_ingest \(5 assets/);
    expect(run.stdout).toMatch(/done +lake_build in/);
    expect(run.stdout).toMatch(/done +dbt\/daily_revenue in/);
    expect(run.stdout).toMatch(/Run [0-9a-f-]{36}: SUCCESS/);
    const db = storage();
    try {
      const [latest] = db.runs({ limit: 1 });
      expect(latest?.status).toBe('SUCCESS');
      const steps = db.steps(latest?.id ?? '');
      // Every materializable asset: 5 bronze, 6 silver, 3 gold, 11 dbt nodes.
      expect(steps.length).toBe(25);
      expect(steps.filter((step) => step.status !== 'SUCCESS')).toEqual([]);
      const fact = db.materializations({ runId: latest?.id ?? '', assetKey: 'lake/silver/fact_sales' })[0];
      expect(fact?.snapshotId).toMatch(/^\d+$/);
      expect(fact?.rows).toBeGreaterThan(0);
      // dbt tests ran as the assets' checks.
      expect(db.checkResults({ runId: latest?.id ?? '', assetKey: 'dbt/fct_sales' }).length).toBeGreaterThan(0);
      expect(db.assetLocks()).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('runs lists the run; runs show has its timeline; assets has the partitions filled', () => {
    const runs = stage(6, 'runs', '--format', 'json');
    expect(runs.status, runs.stderr).toBe(0);
    const listed = JSON.parse(runs.stdout) as { id: string; status: string; done: number; failed: number }[];
    expect(listed.map((run) => [run.status, run.done, run.failed])).toEqual([['SUCCESS', 25, 0]]);
    const table = stage(6, 'runs');
    expect(table.stdout).toContain(listed[0]?.id.slice(0, 8));
    const show = stage(6, 'runs', 'show', listed[0]?.id.slice(0, 8) ?? '');
    expect(show.status, show.stderr).toBe(0);
    for (const event of [
      'RUN_START',
      'LOCKS_ACQUIRED',
      'STEP_START',
      'ASSET_MATERIALIZATION',
      'ASSET_CHECK_EVALUATION',
      'RUN_SUCCESS',
    ]) {
      expect(show.stdout).toContain(event);
    }
    const assets = stage(6, 'assets', '--format', 'json');
    expect(assets.status, assets.stderr).toBe(0);
    const rows = JSON.parse(assets.stdout) as {
      key: string;
      status: string;
      partitions?: { filled: number; total: number };
    }[];
    const daily = rows.find((row) => row.key === 'dbt/daily_revenue');
    // Daily partitions from the model's begin (2024-01-01) to the newest sales day.
    expect(daily?.partitions?.total).toBeGreaterThan(365);
    expect(daily?.partitions?.filled).toBe(daily?.partitions?.total);
    expect(rows.find((row) => row.key === 'raw/sales')?.status).toMatch(/^external/);
    expect(rows.filter((row) => row.status === 'missing')).toEqual([]);
  });

  test('a forced failure in one model is retried per policy and skips its downstream assets', () => {
    const run = runCli(['stage', '6', 'materialize', '--select', '+key:dbt/fct_sales+', '--retry-delay', '0.05'], {
      ...env,
      MART_FAIL_ASSET: 'dbt/fct_sales',
    });
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).not.toMatch(stackTrace);
    expect(run.stdout).toMatch(/retry +dbt\/fct_sales: attempt 1 of 3 failed: Forced failure/);
    expect(run.stdout).toMatch(/retry +dbt\/fct_sales: attempt 2 of 3 failed/);
    expect(run.stdout).toMatch(/failed +dbt\/fct_sales after 3 attempts/);
    expect(run.stdout).toMatch(/skipped +dbt\/daily_revenue: upstream dbt\/fct_sales failed/);
    const db = storage();
    try {
      const [latest] = db.runs({ limit: 1 });
      expect(latest?.status).toBe('FAILURE');
      const steps = Object.fromEntries(
        db.steps(latest?.id ?? '').map((step) => [step.assetKey, [step.status, step.attempt]]),
      );
      expect(steps['dbt/fct_sales']).toEqual(['FAILURE', 3]);
      expect(steps['dbt/stg_sales']).toEqual(['SUCCESS', 1]);
      for (const downstream of ['dbt/daily_revenue', 'dbt/monthly_revenue_by_region', 'dbt/revenue_by_segment']) {
        expect(steps[downstream]).toEqual(['SKIPPED', 0]);
      }
      const retries = db.events(latest?.id ?? '').filter((event) => event.type === 'STEP_RETRY');
      expect(retries.map((event) => event.payload.attempt)).toEqual([1, 2]);
    } finally {
      db.close();
    }
  });

  test('a backfill runs only the partitions that are missing or failed', () => {
    // Three more days arrive; everything but the partitioned mart catches up.
    expect(stage(5, 'generate', '--days', '3', '--lines-per-day', '15').status).toBe(0);
    const upstream = stage(6, 'materialize', '--select', 'not key:dbt/daily_revenue');
    expect(upstream.status, upstream.stdout + upstream.stderr).toBe(0);
    // One of the new days first, on its own.
    const one = stage(6, 'materialize', '--partition', '2025-01-06');
    expect(one.status, one.stdout + one.stderr).toBe(0);
    const before = storage();
    const seen = new Set(before.runs({ limit: 0 }).map((run) => run.id));
    before.close();

    const backfill = stage(6, 'materialize', '--from', '2025-01-03', '--to', '2025-01-07');
    expect(backfill.status, backfill.stdout + backfill.stderr).toBe(0);
    expect(backfill.stdout).toContain('5 partitions of dbt/daily_revenue from 2025-01-03 to 2025-01-07: 2 to run');
    const db = storage();
    try {
      const runs = db.runs({ limit: 0 }).filter((run) => !seen.has(run.id));
      // 03, 04 (the first materialize) and 06 are there: 05 and 07 run, a run each (a gap splits single_run).
      expect(runs.map((run) => run.partitionKey).sort()).toEqual(['2025-01-05', '2025-01-07']);
      expect(
        partitionsMaterialized(
          runs.map((run) => run.id),
          'dbt/daily_revenue',
        ),
      ).toEqual(['2025-01-05', '2025-01-07']);
      const backfillId = runs[0]?.backfillId ?? '';
      expect(db.backfill(backfillId)?.status).toBe('COMPLETED');
      expect(db.backfillProgress(backfillId).counts.MATERIALIZED).toBe(2);
    } finally {
      db.close();
    }
    // Again: nothing left to do. (--format json: the document on stdout, the lines on stderr.)
    const again = stage(6, 'materialize', '--from', '2025-01-03', '--to', '2025-01-07', '--format', 'json');
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ backfillId: null, runs: [] });
    expect(again.stderr).toContain('0 to run');
  });

  test('clear errors: a bad selection, a partition that does not exist yet', () => {
    const typo = stage(6, 'materialize', '--select', 'key:dbt/fct_sale');
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain('dbt/fct_sales');
    expect(typo.stderr).not.toMatch(stackTrace);
    const future = stage(6, 'materialize', '--partition', '2099-01-01');
    expect(future.status).not.toBe(0);
    expect(future.stderr).toContain('2099-01-01 is not a partition yet');
    const unknownRun = stage(6, 'runs', 'show', 'ffffffff');
    expect(unknownRun.status).not.toBe(0);
    expect(unknownRun.stderr).toContain('No run has the id ffffffff');
  });
});
