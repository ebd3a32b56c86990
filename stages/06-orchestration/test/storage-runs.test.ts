// The run storage's API in one process: statuses, the timeline, materializations and
// checks, heartbeats, cancel, and backfills resumed from storage. (Crashes, concurrent
// readers and locks across processes: storage-processes.test.ts.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { RunStorage } from '../src/storage/index.ts';

let dir: string;
let path: string;
const open: RunStorage[] = [];
function storage(options: { now?: () => Date; pid?: number; host?: string } = {}): RunStorage {
  const opened = RunStorage.open({ path, ...options });
  open.push(opened);
  return opened;
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mart-runs-'));
  path = join(dir, 'runs.db');
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The PID of a process that has exited (and been reaped). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid ?? 0;
}

describe('a run from start to end', () => {
  test('statuses, steps, materializations, checks, logs and the timeline', () => {
    const s = storage();
    const run = s.createRun({
      selection: 'key:raw/* or group:marts',
      assetKeys: ['raw/sales', 'marts/revenue'],
      partitionKey: '2026-11-30',
      config: { concurrency: 2 },
    });
    expect(run).toMatchObject({
      status: 'QUEUED',
      partitionKey: '2026-11-30',
      config: { concurrency: 2 },
      pid: process.pid,
    });
    expect(run.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    s.startRun(run.id);
    s.stepStarted(run.id, 'raw/sales', { partitionKey: '2026-11-30' });
    s.stepRetrying(run.id, 'raw/sales', { error: 'S3 timed out.', delayMs: 250 });
    s.stepStarted(run.id, 'raw/sales');
    const [materialization] = s.recordMaterialization({
      runId: run.id,
      assetKey: 'raw/sales',
      partitionKeys: ['2026-11-30'],
      rows: 1200,
      durationMs: 35,
      snapshotId: '7',
      codeVersion: 'abc123',
      metadata: { path: 's3://mart/bronze/sales' },
    });
    s.stepSucceeded(run.id, 'raw/sales');
    const check = s.recordCheckResult({
      runId: run.id,
      assetKey: 'raw/sales',
      checkName: 'not_null_sale_id',
      passed: false,
      severity: 'ERROR',
      blocking: true,
      metadata: { failingRows: 3 },
    });
    s.stepSkipped(run.id, 'marts/revenue', 'Blocking check not_null_sale_id of raw/sales failed.');
    s.log(run.id, 'warn', '3 rows with a NULL sale_id', 'raw/sales');
    expect(s.finishRun(run.id, 'FAILURE', 'A blocking check failed.')).toBe(true);
    expect(s.finishRun(run.id, 'SUCCESS')).toBe(false);

    expect(s.run(run.id)).toMatchObject({ status: 'FAILURE', statusMessage: 'A blocking check failed.' });
    expect(s.steps(run.id).map((step) => [step.assetKey, step.status, step.attempt])).toEqual([
      ['raw/sales', 'SUCCESS', 2],
      ['marts/revenue', 'SKIPPED', 0],
    ]);
    expect(materialization).toMatchObject({ rows: 1200, snapshotId: '7', partitionKey: '2026-11-30' });
    expect(s.latestMaterializations().get('raw/sales')?.id).toBe(materialization?.id);
    expect(check).toMatchObject({ passed: false, severity: 'ERROR', blocking: true, metadata: { failingRows: 3 } });
    expect(s.checkResults({ assetKey: 'raw/sales' })).toHaveLength(1);
    expect(s.logs(run.id).map((line) => [line.level, line.message])).toEqual([['warn', '3 rows with a NULL sale_id']]);
    const types = s.events(run.id).map((event) => event.type);
    expect(types).toEqual([
      'RUN_ENQUEUED',
      'RUN_START',
      'STEP_START',
      'STEP_RETRY',
      'STEP_START',
      'ASSET_MATERIALIZATION',
      'STEP_SUCCESS',
      'ASSET_CHECK_EVALUATION',
      'STEP_SKIPPED',
      'RUN_FAILURE',
    ]);
    // A live view reads only what is new.
    const seen = s.events(run.id, { limit: 3 });
    expect(s.events(run.id, { afterId: seen.at(-1)?.id }).map((event) => event.type)).toEqual(types.slice(3));
    expect(s.findRun(run.id.slice(0, 8))?.id).toBe(run.id);
  });

  test('cancel: a queued run at once, a started one through CANCELING', () => {
    const s = storage();
    const queued = s.createRun({ selection: '*', assetKeys: ['a'] });
    expect(s.requestCancel(queued.id)).toBe(true);
    expect(s.run(queued.id)?.status).toBe('CANCELED');

    const started = s.createRun({ selection: '*', assetKeys: ['a', 'b'] });
    s.startRun(started.id);
    s.stepStarted(started.id, 'a');
    expect(s.requestCancel(started.id, 'Canceled by `runs cancel`.')).toBe(true);
    // The executor sees it on its next heartbeat and stops submitting.
    expect(s.heartbeat(started.id)).toBe('CANCELING');
    s.stepSucceeded(started.id, 'a');
    s.finishRun(started.id, 'CANCELED');
    expect(s.steps(started.id).map((step) => step.status)).toEqual(['SUCCESS', 'SKIPPED']);
    expect(s.run(started.id)).toMatchObject({ status: 'CANCELED', statusMessage: 'Canceled by `runs cancel`.' });
    expect(s.requestCancel(started.id)).toBe(false);
  });
});

describe('markDeadRuns', () => {
  test('a heartbeat older than the limit means dead, even when the PID exists', () => {
    let now = new Date('2026-12-02T10:00:00.000Z');
    const s = storage({ now: () => now });
    const run = s.createRun({ selection: '*', assetKeys: ['a'] });
    s.startRun(run.id);
    now = new Date('2026-12-02T10:00:30.000Z');
    expect(s.markDeadRuns({ staleAfterMs: 60_000 })).toEqual([]);
    now = new Date('2026-12-02T10:02:00.000Z');
    const [dead] = s.markDeadRuns({ staleAfterMs: 60_000 });
    expect(dead?.reason).toBe(
      `no heartbeat from its process (PID ${process.pid} on ${run.host}) for 120 s (limit 60 s).`,
    );
    expect(s.run(run.id)?.status).toBe('FAILURE');
  });

  test('a run on another machine is judged by its heartbeat alone; a canceling one ends CANCELED', () => {
    let now = new Date('2026-12-02T10:00:00.000Z');
    const remote = storage({ now: () => now, host: 'other-machine', pid: 1 });
    const run = remote.createRun({ selection: '*', assetKeys: ['a'] });
    remote.startRun(run.id);
    remote.requestCancel(run.id);
    expect(remote.markDeadRuns()).toEqual([]);
    now = new Date('2026-12-02T10:05:00.000Z');
    expect(remote.markDeadRuns().map((dead) => dead.status)).toEqual(['CANCELED']);
  });
});

describe('backfills', () => {
  const days = ['2026-11-01', '2026-11-02', '2026-11-03', '2026-11-04'];

  test('progress comes from the materializations, and a restart resumes what is missing or failed', () => {
    // A backfill command whose process dies after two partitions (multi_run, one a run).
    const first = storage({ pid: deadPid() });
    const backfill = first.createBackfill({
      selection: 'key:lake/*',
      assetKeys: ['lake/sales', 'lake/revenue'],
      partitionKeys: days,
      policy: 'multi_run',
      maxPartitionsPerRun: 1,
    });
    for (const day of days.slice(0, 2)) {
      const run = first.createRun({
        selection: backfill.selection,
        assetKeys: backfill.assetKeys,
        partitionKey: day,
        backfillId: backfill.id,
      });
      first.startRun(run.id);
      for (const asset of backfill.assetKeys)
        first.recordMaterialization({ runId: run.id, assetKey: asset, partitionKeys: [day] });
      first.finishRun(run.id, 'SUCCESS');
    }
    // The third partition: lake/sales written, then the process died.
    const third = first.createRun({
      selection: '*',
      assetKeys: backfill.assetKeys,
      partitionKey: days[2],
      backfillId: backfill.id,
    });
    first.startRun(third.id);
    first.stepStarted(third.id, 'lake/sales');
    first.recordMaterialization({ runId: third.id, assetKey: 'lake/sales', partitionKeys: [days[2] ?? ''] });
    first.stepSucceeded(third.id, 'lake/sales');
    first.stepStarted(third.id, 'lake/revenue');
    first.close();

    // The next command: the run looks alive until markDeadRuns, then the backfill resumes.
    const next = storage();
    expect(next.backfillProgress(backfill.id).partitions.get('2026-11-03')).toBe('IN_PROGRESS');
    next.markDeadRuns();
    const progress = next.backfillProgress(backfill.id);
    expect([...progress.partitions]).toEqual([
      ['2026-11-01', 'MATERIALIZED'],
      ['2026-11-02', 'MATERIALIZED'],
      ['2026-11-03', 'FAILED'],
      ['2026-11-04', 'MISSING'],
    ]);
    expect(progress.counts).toEqual({ MISSING: 1, IN_PROGRESS: 0, MATERIALIZED: 2, FAILED: 1 });
    expect(progress.remaining).toEqual(['2026-11-03', '2026-11-04']);
    expect(next.backfills({ status: 'REQUESTED' }).map((b) => b.id)).toEqual([backfill.id]);

    // Per asset: lake/sales has 11-03, lake/revenue failed it.
    expect([...next.partitionStatuses('lake/revenue', days)]).toEqual([
      ['2026-11-01', 'MATERIALIZED'],
      ['2026-11-02', 'MATERIALIZED'],
      ['2026-11-03', 'FAILED'],
    ]);
    expect(next.partitionStatuses('lake/sales', days).get('2026-11-03')).toBe('MATERIALIZED');
  });

  test('a single_run backfill covers its range with one run, one materialization per partition', () => {
    const s = storage();
    const backfill = s.createBackfill({ selection: '*', assetKeys: ['a'], partitionKeys: days, policy: 'single_run' });
    const run = s.createRun({
      selection: '*',
      assetKeys: ['a'],
      range: { from: '2026-11-01', to: '2026-11-04' },
      backfillId: backfill.id,
    });
    s.startRun(run.id);
    expect(s.backfillProgress(backfill.id).counts.IN_PROGRESS).toBe(4);
    s.stepStarted(run.id, 'a');
    s.stepFailed(run.id, 'a', { error: 'Binder Error: column x not found' });
    s.finishRun(run.id, 'FAILURE');
    expect(s.backfillProgress(backfill.id).remaining).toEqual(days);
    expect([...s.partitionStatuses('a', days).values()]).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED']);

    const retry = s.createRun({
      selection: '*',
      assetKeys: ['a'],
      range: { from: days[0] ?? '', to: days[3] ?? '' },
      backfillId: backfill.id,
    });
    s.startRun(retry.id);
    s.recordMaterialization({ runId: retry.id, assetKey: 'a', partitionKeys: days, rows: 10 });
    s.finishRun(retry.id, 'SUCCESS');
    expect(s.backfillProgress(backfill.id).counts.MATERIALIZED).toBe(4);
    expect(s.countMaterializations({ assetKey: 'a' })).toBe(4);
    s.finishBackfill(backfill.id, 'COMPLETED');
    expect(s.backfill(backfill.id)?.status).toBe('COMPLETED');
  });
});

describe('latestMaterializations', () => {
  test('with changedData, a materialization that found nothing new (unchanged: true) does not count', () => {
    const s = storage();
    const run = s.createRun({ selection: '*', assetKeys: ['lake/bronze/sales'] });
    const [landed] = s.recordMaterialization({ runId: run.id, assetKey: 'lake/bronze/sales', rows: 403 });
    s.recordMaterialization({
      runId: run.id,
      assetKey: 'lake/bronze/sales',
      metadata: { unchanged: true, ingest_id: 'x' },
    });
    const [unchangedBuild] = s.recordMaterialization({
      runId: run.id,
      assetKey: 'lake/silver/fact_sales',
      metadata: { unchanged: false },
    });
    expect(s.latestMaterializations().get('lake/bronze/sales')?.metadata).toMatchObject({ unchanged: true });
    const changed = s.latestMaterializations({ changedData: true });
    expect(changed.get('lake/bronze/sales')?.id).toBe(landed?.id);
    expect(changed.get('lake/silver/fact_sales')?.id).toBe(unchangedBuild?.id);
  });
});
