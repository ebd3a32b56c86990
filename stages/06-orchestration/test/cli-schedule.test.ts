// `pnpm stage 6 schedule` and `inbox` through the real CLI, on the real pipeline, in a
// fresh data folder. The tests run in order: each continues the storage (ticks,
// cursors, runs) the previous one left.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, spawnCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { RunStorage } from '../src/storage/index.ts';

describe('pnpm stage 6 schedule and inbox', () => {
  const data = tempDir('stage-06-schedule');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage6 = (...args: string[]) => runCli(['stage', '6', ...args], env);
  const inbox = join(data.path, 'inbox');
  afterAll(() => data.remove());

  function withStorage<T>(read: (storage: RunStorage) => T): T {
    const storage = RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
    try {
      return read(storage);
    } finally {
      storage.close();
    }
  }

  test('--once at a tick time launches the schedule: a run of every asset, recorded with its tick', () => {
    const run = stage6('schedule', '--once', '--now', '2026-12-03T05:00:00Z');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Launching: nightly_build: the tick of 2026-12-03 06:00:00 Europe/Amsterdam');
    expect(run.stdout).toMatch(/done +dbt\/daily_revenue in/);
    expect(run.stdout).toContain('1 run launched (1 succeeded, 0 failed), 0 ticks skipped');
    withStorage((storage) => {
      const [tick] = storage.ticks.ticks('nightly_build');
      expect(tick).toMatchObject({ tickTime: '2026-12-03T05:00:00.000Z', status: 'SUCCESS' });
      const launched = storage.run(tick?.runId ?? '');
      expect(launched?.status).toBe('SUCCESS');
      expect(launched?.config).toMatchObject({ schedule: 'nightly_build', tick: '2026-12-03T05:00:00.000Z' });
      expect(storage.steps(launched?.id ?? '').filter((step) => step.status === 'SUCCESS')).toHaveLength(25);
    });
    const runs = stage6('runs');
    expect(runs.stdout).toMatch(/SUCCESS/);
  });

  test('the same time again: nothing due, no new run', () => {
    const before = withStorage((storage) => storage.runs().length);
    const run = stage6('schedule', '--once', '--now', '2026-12-03T05:00:00Z');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(
      'Nothing due at 2026-12-03T05:00:00.000Z. Next: nightly_build at 2026-12-04T05:00:00.000Z',
    );
    expect(withStorage((storage) => storage.runs().length)).toBe(before);
  });

  test('after three days down: the newest tick runs, the two older ones are skipped with the reason', () => {
    const run = stage6('schedule', '--once', '--now', '2026-12-06T05:30:00Z');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('1 run launched (1 succeeded, 0 failed), 2 ticks skipped');
    const ticks = withStorage((storage) => storage.ticks.ticks('nightly_build'));
    expect(ticks.map((tick) => [tick.tickTime, tick.status])).toEqual([
      ['2026-12-06T05:00:00.000Z', 'SUCCESS'],
      ['2026-12-05T05:00:00.000Z', 'SKIPPED'],
      ['2026-12-04T05:00:00.000Z', 'SKIPPED'],
      ['2026-12-03T05:00:00.000Z', 'SUCCESS'],
    ]);
    expect(ticks[1]?.message).toMatch(/missed while the scheduler was not running/);
    const list = stage6('schedule', '--list');
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('2026-12-07T05:00:00.000Z = 2026-12-07 06:00:00 Europe/Amsterdam');
    expect(list.stdout).toMatch(/2026-12-06T05:00:00.000Z SUCCESS run [0-9a-f]{8}/);
  });

  test('inbox drops batch files; each triggers one run that lands its lines in bronze, once', () => {
    const drop = stage6('inbox', '--days', '2', '--lines-per-day', '20');
    expect(drop.status, drop.stdout + drop.stderr).toBe(0);
    expect(drop.stdout).toMatch(/sales-2025-01-01\.csv: \d+ lines/);
    expect(drop.stdout).toMatch(/sales-2025-01-02\.csv: \d+ lines/);
    const lines = [...drop.stdout.matchAll(/sales-2025-01-0\d\.csv: (\d+) lines/g)].map((m) => Number(m[1]));

    const run = stage6('schedule', '--once', '--now', '2026-12-06T06:00:00Z');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Launching: inbox_sensor: new batch sales-2025-01-01.csv');
    expect(run.stdout).toContain('2 runs launched (2 succeeded, 0 failed)');
    withStorage((storage) => {
      const ticks = storage.ticks.ticks('inbox_sensor').reverse();
      expect(ticks.map((tick) => tick.runKey?.split('@')[0])).toEqual(['sales-2025-01-01.csv', 'sales-2025-01-02.csv']);
      const landed = ticks.map(
        (tick) => storage.materializations({ runId: tick.runId ?? '', assetKey: 'lake/bronze/sales' })[0]?.rows,
      );
      expect(landed).toEqual(lines);
    });

    const again = stage6('schedule', '--once', '--now', '2026-12-06T06:01:00Z');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('Nothing due');
  });

  test('a batch file with a typo in its header: the tick fails naming the file, line and column; exit 1', () => {
    writeFileSync(
      join(inbox, 'typo.csv'),
      'sale_id,line_number,sale_dat,customer_id,product_id,store_id,quantity,unit_price\nT1,1,2025-01-01,C000012,P00010,S005,2,69.56\n',
    );
    const run = stage6('schedule', '--once', '--now', '2026-12-06T06:02:00Z');
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(
      /inbox\/typo\.csv:1: the header is not a sales batch's: column 3 is "sale_dat", expected "sale_date"/,
    );
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const tick = withStorage((storage) => storage.ticks.ticks('inbox_sensor')[0]);
    expect(tick).toMatchObject({ status: 'FAILURE', runId: undefined });
    // The same file is not tried again at the next tick …
    expect(stage6('schedule', '--once', '--now', '2026-12-06T06:03:00Z').stdout).toContain('Nothing due');
  });

  test('--now must carry its zone; --now goes with --once', () => {
    const local = stage6('schedule', '--once', '--now', '2026-12-03T06:00');
    expect(local.status).toBe(2);
    expect(local.stderr).toContain('--now must be a time with its zone, not "2026-12-03T06:00"');
    const alone = stage6('schedule', '--now', '2026-12-03T05:00:00Z');
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--now goes with --once');
  });

  test('in the foreground: a file dropped while it runs is picked up at the next evaluation; Ctrl-C stops it', async () => {
    const scheduler = spawnCli(['stage', '6', 'schedule', '--interval', '1'], env);
    try {
      await scheduler.waitFor('Scheduler started: nightly_build (0 6 * * * Europe/Amsterdam');
      const drop = stage6('inbox', '--days', '1', '--lines-per-day', '10');
      expect(drop.status, drop.stdout + drop.stderr).toBe(0);
      // The fixed typo is a new content, hence a new batch: renamed into place whole.
      writeFileSync(
        join(inbox, '.fixed.csv'),
        'sale_id,line_number,sale_date,customer_id,product_id,store_id,quantity,unit_price\n',
      );
      renameSync(join(inbox, '.fixed.csv'), join(inbox, 'fixed.csv'));
      await scheduler.waitFor(
        /inbox_sensor @ \S+: SUCCESS\. Run [0-9a-f]{8}: SUCCESS[\s\S]*inbox_sensor @ \S+: SUCCESS/,
        180_000,
      );
      scheduler.child.kill('SIGINT');
      const exit = await scheduler.exited;
      expect(exit.code, scheduler.output()).toBe(0);
      expect(scheduler.output()).toContain('Scheduler stopped.');
    } finally {
      scheduler.child.kill('SIGKILL');
    }
    const files = withStorage((storage) =>
      storage.ticks.ticks('inbox_sensor', { limit: 2 }).map((t) => t.runKey?.split('@')[0]),
    );
    expect(files.sort()).toEqual(['fixed.csv', 'sales-2025-01-03.csv']);
  });
});
