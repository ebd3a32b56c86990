// Runs and other processes, through the real CLI: a materialize killed with kill -9 (the
// next command marks it failed, the next run continues), two materializes on the same
// assets (the second refuses, naming the holder), `runs cancel` from another process, Ctrl-C, and
// a backfill killed half-way that the same command resumes. Each wait is for a line the
// process prints: MART_TEST_HOLD_STEP makes a step wait for a file, so "in the middle of
// a run" is a known place, not a guessed delay.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync, type SpawnedCli, spawnCli, tempDir } from '@mart/shared/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { RunStorage } from '../src/storage/index.ts';

describe('materialize and other processes', () => {
  const data = tempDir('stage-06-processes');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage = (n: number, args: string[], extra: Record<string, string> = {}) =>
    runCliAsync(['stage', String(n), ...args], { ...env, ...extra });
  const storage = () => RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
  const spawned: SpawnedCli[] = [];
  const start = (args: string[], extra: Record<string, string> = {}) => {
    const child = spawnCli(['stage', '6', ...args], { ...env, ...extra });
    spawned.push(child);
    return child;
  };
  let holds = 0;
  /** A file that does not exist yet: the held step goes on once it does. */
  const holdFile = () => join(data.path, `release-${++holds}`);
  afterEach(async () => {
    for (const child of spawned.splice(0)) {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill('SIGKILL');
      await child.exited;
    }
  });
  afterAll(() => data.remove());

  beforeAll(async () => {
    const build = await stage(4, ['build']);
    expect(build.status, build.stdout + build.stderr).toBe(0);
    const days = await stage(5, ['generate', '--days', '3', '--lines-per-day', '15']);
    expect(days.status, days.stdout + days.stderr).toBe(0);
  });

  test('kill -9 in the middle: the next command marks the run failed, the next run continues', async () => {
    const release = holdFile();
    const run = start(['materialize'], { MART_TEST_HOLD_STEP: `dbt/fct_sales=${release}` });
    await run.waitFor(/done +lake_build in/);
    await run.waitFor('MART_TEST_HOLD_STEP: holding dbt/fct_sales');
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');

    const listed = await stage(6, ['runs']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout + listed.stderr).toMatch(
      /was left running: its process \(PID \d+ on .+\) is gone\. Marked FAILURE/,
    );
    const db = storage();
    try {
      const [killed] = db.runs({ limit: 1 });
      expect(killed?.status).toBe('FAILURE');
      const steps = Object.fromEntries(db.steps(killed?.id ?? '').map((step) => [step.assetKey, step.status]));
      // What finished stays recorded; the rest is failed, and the locks are gone.
      expect(steps['lake/silver/fact_sales']).toBe('SUCCESS');
      expect(steps['dbt/stg_sales']).toBe('SUCCESS');
      expect(steps['dbt/fct_sales']).toBe('FAILURE');
      expect(steps['dbt/daily_revenue']).toBe('FAILURE');
      expect(db.materializations({ runId: killed?.id ?? '', assetKey: 'lake/silver/fact_sales' })).toHaveLength(1);
      expect(db.assetLocks()).toEqual([]);
    } finally {
      db.close();
    }

    const next = await stage(6, ['materialize']);
    expect(next.status, next.stdout + next.stderr).toBe(0);
    // The raw files were landed by the killed run: not again.
    expect(next.stdout).toMatch(/done +lake_ingest/);
    const after = storage();
    try {
      const [latest] = after.runs({ limit: 1 });
      expect(latest?.status).toBe('SUCCESS');
      expect(
        after.materializations({ runId: latest?.id ?? '', assetKey: 'lake/bronze/sales' })[0]?.metadata.unchanged,
      ).toBe(true);
    } finally {
      after.close();
    }
  });

  test('a second materialize on the same assets refuses, naming the run and PID; runs cancel stops the first', async () => {
    const release = holdFile();
    const first = start(['materialize', '--select', '+key:dbt/stg_stores+'], {
      MART_TEST_HOLD_STEP: `dbt/stg_stores=${release}`,
    });
    await first.waitFor('MART_TEST_HOLD_STEP: holding dbt/stg_stores');
    const db = storage();
    const holder = db.runs({ limit: 1, statuses: ['STARTED'] })[0];
    db.close();
    expect(holder?.pid).toBe(first.child.pid);

    const second = await stage(6, ['materialize', '--select', 'key:dbt/fct_sales']);
    expect(second.status).not.toBe(0);
    expect(second.stderr).toContain(`being materialized by run ${holder?.id} (PID ${first.child.pid}`);
    expect(second.stderr).toContain(`pnpm stage 6 runs cancel ${holder?.id}`);
    // Waiting does not change who holds it.
    const waited = await stage(6, ['materialize', '--select', 'key:dbt/fct_sales', '--wait', '0.3']);
    expect(waited.stderr).toMatch(/Gave up after 0\.\d s waiting for dbt\/fct_sales, still held by run/);

    const cancel = await stage(6, ['runs', 'cancel', holder?.id.slice(0, 8) ?? '']);
    expect(cancel.status, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain('Cancel requested');
    const ended = await first.exited;
    expect(ended.code).toBe(1);
    expect(first.output()).toMatch(/Run [0-9a-f-]+: CANCELED/);
    expect(existsSync(release)).toBe(false);
    const after = storage();
    try {
      const run = after.run(holder?.id ?? '');
      expect(run?.status).toBe('CANCELED');
      const steps = Object.fromEntries(after.steps(run?.id ?? '').map((step) => [step.assetKey, step.status]));
      expect(steps['dbt/stg_stores']).toBe('FAILURE');
      expect(steps['dbt/fct_sales']).toBe('SKIPPED');
      expect(after.assetLocks()).toEqual([]);
    } finally {
      after.close();
    }
  });

  test('Ctrl-C in the middle: the run ends CANCELED, its locks freed, exit 130', async () => {
    const release = holdFile();
    const run = start(['materialize', '--select', '+key:dbt/stg_stores+'], {
      MART_TEST_HOLD_STEP: `dbt/stg_stores=${release}`,
    });
    await run.waitFor('MART_TEST_HOLD_STEP: holding dbt/stg_stores');
    run.child.kill('SIGINT');
    const ended = await run.exited;
    expect(ended.code, run.output()).toBe(130);
    expect(run.output()).toMatch(/Run [0-9a-f-]+: CANCELED/);
    const db = storage();
    try {
      const [canceled] = db.runs({ limit: 1 });
      expect(canceled?.status).toBe('CANCELED');
      expect(db.assetLocks()).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('a backfill killed half-way resumes where it stopped', async () => {
    const release = holdFile();
    const range = ['--from', '2025-01-01', '--to', '2025-01-03', '--backfill-policy', 'multi_run:1', '--force'];
    const first = start(['materialize', ...range], { MART_TEST_HOLD_STEP: `dbt/daily_revenue@2025-01-02=${release}` });
    await first.waitFor('MART_TEST_HOLD_STEP: holding dbt/daily_revenue');
    expect(first.output()).toMatch(/done +dbt\/daily_revenue/);
    first.child.kill('SIGKILL');
    await first.exited;

    const resumed = await stage(6, ['materialize', ...range]);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/Resuming backfill [0-9a-f]{8} \(left unfinished\): 3 partitions .*: 2 to run/);
    const db = storage();
    try {
      const backfill = db.backfills()[0];
      expect(backfill?.status).toBe('COMPLETED');
      const runs = db.runs({ backfillId: backfill?.id ?? '', limit: 0 });
      // 01 (before the kill), 02 (killed: FAILURE), then 02 and 03 again.
      expect(runs.map((run) => [run.partitionKey, run.status]).reverse()).toEqual([
        ['2025-01-01', 'SUCCESS'],
        ['2025-01-02', 'FAILURE'],
        ['2025-01-02', 'SUCCESS'],
        ['2025-01-03', 'SUCCESS'],
      ]);
      expect(db.backfillProgress(backfill?.id ?? '').counts.MATERIALIZED).toBe(3);
    } finally {
      db.close();
    }
    writeFileSync(release, '');
  });
});
