// The executor on fake assets: order, bounded concurrency, skipped downstream assets with
// their reasons, retries on a fake clock, blocking and non-blocking checks, multi-asset
// steps, partitions, locks, and pieces that answer nonsense. Every wait is for an event
// (a step's own promise, the event loop turning), never for a time.
import { CliError, InputFileError } from '@mart/shared';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AssetCheckSpec } from '../src/assets/define-asset.ts';
import type { OrchestrationPieces } from '../src/given/pieces.ts';
import { dailyPartitions } from '../src/partitions/daily-partitions.ts';
import { fakeClock } from '../src/run/clock.ts';
import { type MaterializeRunOptions, materializeRun } from '../src/run/materialize-run.ts';
import { multiAsset } from '../src/run/multi-asset.ts';
import { planRun } from '../src/run/plan.ts';
import type { ProgressEvent } from '../src/run/progress.ts';
import { AssetLockedError, RunStorage } from '../src/storage/index.ts';
import { AssetGraph, fakeAsset, type Journal, journal, referencePieces } from './helpers/fake-assets.ts';

let storage: RunStorage;
let pieces: OrchestrationPieces;
beforeEach(async () => {
  storage = RunStorage.open({ path: ':memory:' });
  pieces = await referencePieces();
});
afterEach(() => storage.close());

/** Materializes `keys` (default all) of `graph` in one run, with the reference pieces and a fake clock. */
async function run(graph: AssetGraph, options: Partial<MaterializeRunOptions> & { keys?: string[] } = {}) {
  const { keys, ...rest } = options;
  const plan = planRun(graph, keys ?? graph.keys());
  const events: ProgressEvent[] = [];
  const clock = rest.clock ?? fakeClock();
  const outcome = await materializeRun({
    storage,
    plan,
    selection: '*',
    pieces,
    concurrency: 4,
    clock,
    cancelPollMs: 5,
    onProgress: (event) => events.push(event),
    ...rest,
  });
  return { outcome, events, plan, clock };
}

/** Each asset's start comes after the end of each of its deps (that ran). */
function expectOrder(log: Journal, graph: AssetGraph): void {
  for (const key of graph.keys()) {
    const start = log.events.indexOf(`start:${key}`);
    if (start === -1) continue;
    for (const dep of graph.parents(key)) {
      const end = log.events.indexOf(`end:${dep}`);
      if (end !== -1) expect({ key, dep, after: start > end }).toEqual({ key, dep, after: true });
    }
  }
}

/** A diamond and a fan: a → (b, c) → d; e, f, g, h on their own. */
function wideGraph(log: Journal) {
  return new AssetGraph([
    fakeAsset(log, { key: 'a' }),
    fakeAsset(log, { key: 'b', deps: ['a'] }),
    fakeAsset(log, { key: 'c', deps: ['a'] }),
    fakeAsset(log, { key: 'd', deps: ['b', 'c'] }),
    fakeAsset(log, { key: 'e' }),
    fakeAsset(log, { key: 'f' }),
    fakeAsset(log, { key: 'g' }),
    fakeAsset(log, { key: 'h' }),
  ]);
}

describe('order and concurrency', () => {
  test.each([1, 2, 3])('concurrency %i is never exceeded, and every asset runs after its deps', async (n) => {
    const log = journal();
    const graph = wideGraph(log);
    const { outcome } = await run(graph, { concurrency: n });
    expect(outcome.status).toBe('SUCCESS');
    expect(log.maxActive).toBe(n);
    expectOrder(log, graph);
    expect(storage.steps(outcome.runId).map((step) => [step.assetKey, step.status])).toEqual(
      graph.keys().map((key) => [key, 'SUCCESS']),
    );
    expect(storage.countMaterializations({ runId: outcome.runId })).toBe(8);
  });

  test('a selection runs only its assets, still in order through unselected ones', async () => {
    const log = journal();
    const graph = wideGraph(log);
    const { outcome, plan } = await run(graph, { keys: ['a', 'd', 'e'] });
    expect(plan.steps.map((step) => [step.key, step.deps])).toEqual([
      ['a', []],
      ['d', ['a']],
      ['e', []],
    ]);
    expect(outcome.status).toBe('SUCCESS');
    expect(log.events.filter((event) => event.startsWith('start:')).sort()).toEqual(['start:a', 'start:d', 'start:e']);
    expectOrder(log, graph);
    expect(log.events.indexOf('start:d')).toBeGreaterThan(log.events.indexOf('end:a'));
  });

  test('external assets (no materialize) are not steps', async () => {
    const log = journal();
    const graph = new AssetGraph([
      { ...fakeAsset(log, { key: 'raw/file' }), materialize: undefined },
      fakeAsset(log, { key: 'bronze', deps: ['raw/file'] }),
    ]);
    const plan = planRun(graph, graph.keys());
    expect(plan.external).toEqual(['raw/file']);
    expect(plan.steps.map((step) => step.key)).toEqual(['bronze']);
  });
});

describe('failures skip what is downstream', () => {
  test('a failure skips its descendants, naming it; the rest still runs', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, { key: 'stg_sales' }),
      fakeAsset(log, {
        key: 'fct_sales',
        deps: ['stg_sales'],
        work: () => {
          throw new Error('Binder Error: column "amount" not found');
        },
      }),
      fakeAsset(log, { key: 'daily_revenue', deps: ['fct_sales'] }),
      fakeAsset(log, { key: 'monthly', deps: ['daily_revenue'] }),
      fakeAsset(log, { key: 'stg_stores' }),
    ]);
    const { outcome, events } = await run(graph);
    expect(outcome.status).toBe('FAILURE');
    const byKey = Object.fromEntries(outcome.steps.map((step) => [step.key, [step.status, step.message]]));
    expect(byKey).toEqual({
      stg_sales: ['succeeded', undefined],
      stg_stores: ['succeeded', undefined],
      fct_sales: ['failed', 'Binder Error: column "amount" not found'],
      daily_revenue: ['skipped', 'Skipped: upstream fct_sales failed.'],
      monthly: ['skipped', 'Skipped: upstream fct_sales failed.'],
    });
    expect(log.events).not.toContain('start:daily_revenue');
    const stored = Object.fromEntries(storage.steps(outcome.runId).map((step) => [step.assetKey, step.status]));
    expect(stored).toEqual({
      stg_sales: 'SUCCESS',
      stg_stores: 'SUCCESS',
      fct_sales: 'FAILURE',
      daily_revenue: 'SKIPPED',
      monthly: 'SKIPPED',
    });
    expect(events.filter((event) => event.type === 'step-skipped').map((event) => event.step)).toEqual([
      'daily_revenue',
      'monthly',
    ]);
    expect(storage.run(outcome.runId)?.status).toBe('FAILURE');
    expect(storage.assetLocks()).toEqual([]);
  });
});

describe('retries', () => {
  test('exponential backoff on a fake clock: waits 1 s then 3 s, succeeds on the third attempt', async () => {
    const log = journal();
    let attempts = 0;
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'flaky',
        retry: { maxRetries: 3, delaySeconds: 1, backoff: 'exponential' },
        work: () => {
          attempts += 1;
          if (attempts < 3) throw new Error(`S3 said 503 (try ${attempts})`);
          return { rows: 7 };
        },
      }),
      fakeAsset(log, { key: 'after', deps: ['flaky'] }),
    ]);
    const clock = fakeClock();
    const { outcome } = await run(graph, { clock });
    expect(clock.sleeps).toEqual([1000, 3000]);
    expect(outcome.status).toBe('SUCCESS');
    expect(outcome.steps[0]).toMatchObject({ key: 'flaky', status: 'succeeded', attempts: 3, rows: 7 });
    expect(log.contexts.filter((c) => c.assetKey === 'flaky').map((c) => c.attempt)).toEqual([0, 1, 2]);
    const types = storage
      .events(outcome.runId)
      .filter((e) => e.assetKey === 'flaky')
      .map((e) => e.type);
    expect(types).toEqual([
      'STEP_START',
      'STEP_RETRY',
      'STEP_START',
      'STEP_RETRY',
      'STEP_START',
      'ASSET_MATERIALIZATION',
      'STEP_SUCCESS',
    ]);
    expect(storage.steps(outcome.runId).find((s) => s.assetKey === 'flaky')?.attempt).toBe(3);
  });

  test('retries run out: the step fails after maxRetries + 1 attempts and its downstream is skipped', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'broken',
        retry: { maxRetries: 2, delaySeconds: 2, backoff: 'linear', jitter: 'plus_minus' },
        work: () => {
          throw new Error('always');
        },
      }),
      fakeAsset(log, { key: 'after', deps: ['broken'] }),
    ]);
    const clock = fakeClock();
    // plus_minus with random() = 0.25: n·2 + (2·0.25·2 − 2) = 2n − 1 seconds.
    const { outcome } = await run(graph, { clock, random: () => 0.25 });
    expect(clock.sleeps).toEqual([1000, 3000]);
    expect(outcome.steps.map((s) => [s.key, s.status, s.attempts])).toEqual([
      ['broken', 'failed', 3],
      ['after', 'skipped', 0],
    ]);
    expect(outcome.steps[0]?.message).toBe('always (gave up after 3 attempts)');
  });

  test('a failure no retry can fix (a wrong input file, an error that says so) fails at once, saying why', async () => {
    const log = journal();
    const retry = { maxRetries: 3, delaySeconds: 1 };
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'ingest',
        retry,
        work: () => {
          throw new InputFileError('sales.csv', 'unexpected column "quantty"', { line: 1, column: 7 });
        },
      }),
      fakeAsset(log, {
        key: 'model',
        retry,
        work: () => {
          throw Object.assign(new Error('the SQL refers to a table that does not exist'), { allowRetries: false });
        },
      }),
    ]);
    const clock = fakeClock();
    const { outcome } = await run(graph, { clock });
    expect(clock.sleeps).toEqual([]);
    expect(outcome.steps.map((s) => [s.key, s.status, s.attempts, s.message])).toEqual([
      [
        'ingest',
        'failed',
        1,
        'sales.csv line 1, column 7: unexpected column "quantty" (not retried: a retry would read the same file)',
      ],
      [
        'model',
        'failed',
        1,
        'the SQL refers to a table that does not exist (not retried: the step said a retry cannot help)',
      ],
    ]);
  });

  test('the run default policy applies to assets without one', async () => {
    const log = journal();
    let tries = 0;
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'x',
        work: () => {
          tries += 1;
          if (tries === 1) throw new Error('once');
          return { rows: 1 };
        },
      }),
    ]);
    const clock = fakeClock();
    const { outcome } = await run(graph, { clock, defaultRetry: { maxRetries: 1, delaySeconds: 0.5 } });
    expect([outcome.status, clock.sleeps]).toEqual(['SUCCESS', [500]]);
  });
});

describe('asset checks', () => {
  const check = (
    name: string,
    blocking: boolean,
    passed: boolean,
    severity: 'error' | 'warn' = 'error',
  ): AssetCheckSpec => ({
    name,
    blocking,
    evaluate: async () => ({ passed, severity, description: `${name}: ${passed ? 'ok' : '3 bad rows'}` }),
  });

  test('a failing blocking check: the asset is materialized, its downstream skipped with the check named', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, { key: 'fct_sales', checks: [check('not_null_sale_id', true, false), check('rows', true, true)] }),
      fakeAsset(log, { key: 'daily', deps: ['fct_sales'] }),
      fakeAsset(log, { key: 'other' }),
    ]);
    const { outcome, events } = await run(graph);
    expect(outcome.status).toBe('FAILURE');
    expect(outcome.steps.map((s) => [s.key, s.status, s.blocked])).toEqual([
      ['fct_sales', 'succeeded', true],
      ['daily', 'skipped', false],
      ['other', 'succeeded', false],
    ]);
    expect(outcome.steps[1]?.message).toBe('Skipped: blocking check not_null_sale_id of fct_sales failed.');
    expect(storage.countMaterializations({ assetKey: 'fct_sales' })).toBe(1);
    const results = storage
      .checkResults({ runId: outcome.runId })
      .map((r) => [r.checkName, r.passed, r.severity, r.blocking]);
    expect(results.sort()).toEqual([
      ['not_null_sale_id', false, 'ERROR', true],
      ['rows', true, 'ERROR', true],
    ]);
    expect(events.some((e) => e.type === 'check-failed' && e.check === 'not_null_sale_id' && e.blocking)).toBe(true);
  });

  test('a failing non-blocking check, or a blocking one with severity warn, only warns', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'fct_sales',
        checks: [check('accepted_values_region', false, false), check('freshness', true, false, 'warn')],
      }),
      fakeAsset(log, { key: 'daily', deps: ['fct_sales'] }),
    ]);
    const { outcome, events } = await run(graph);
    expect(outcome.status).toBe('SUCCESS');
    expect(log.events).toContain('end:daily');
    expect(events.filter((e) => e.type === 'check-failed').map((e) => e.type === 'check-failed' && e.check)).toEqual([
      'accepted_values_region',
      'freshness',
    ]);
  });

  test('results the materialization reports (dbt tests) count as the checks', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'm',
        checks: [{ name: 'unique_m_id', blocking: true }],
        work: async () => ({ rows: 2, checks: { unique_m_id: { passed: false, description: '1 duplicate' } } }),
      }),
      fakeAsset(log, { key: 'n', deps: ['m'] }),
    ]);
    const { outcome } = await run(graph);
    expect(outcome.steps.map((s) => s.status)).toEqual(['succeeded', 'skipped']);
    expect(storage.checkResults({ assetKey: 'm' })[0]?.metadata).toEqual({ description: '1 duplicate' });
  });
});

describe('multi-asset steps and partitions', () => {
  test('the selected assets of a multi-asset run in ONE step, each recorded', async () => {
    const log = journal();
    let calls = 0;
    const build = multiAsset({
      name: 'lake_build',
      description: 'test',
      materialize: async ({ assetKeys }) => {
        calls += 1;
        return Object.fromEntries(assetKeys.map((key, i) => [key, { rows: i + 10, metadata: { snapshot_id: 42 } }]));
      },
    });
    const graph = new AssetGraph([
      fakeAsset(log, { key: 'bronze' }),
      { ...fakeAsset(log, { key: 'silver/a', deps: ['bronze'] }), materialize: build.materializeFor('silver/a') },
      { ...fakeAsset(log, { key: 'gold/b', deps: ['silver/a'] }), materialize: build.materializeFor('gold/b') },
      { ...fakeAsset(log, { key: 'gold/c', deps: ['silver/a'] }), materialize: build.materializeFor('gold/c') },
      fakeAsset(log, { key: 'dbt', deps: ['gold/b'] }),
    ]);
    const { outcome, plan } = await run(graph, { keys: ['bronze', 'silver/a', 'gold/b', 'dbt'] });
    expect(plan.steps.map((s) => [s.key, s.assets.map((a) => a.key), s.deps])).toEqual([
      ['bronze', ['bronze'], []],
      // Upstream first inside the step: silver/a before gold/b.
      ['lake_build', ['silver/a', 'gold/b'], ['bronze']],
      ['dbt', ['dbt'], ['lake_build']],
    ]);
    expect([outcome.status, calls]).toEqual(['SUCCESS', 1]);
    const records = storage.materializations({ runId: outcome.runId }).map((m) => [m.assetKey, m.rows, m.snapshotId]);
    expect(records.sort()).toEqual([
      ['bronze', 1, undefined],
      ['dbt', 1, undefined],
      ['gold/b', 11, '42'],
      ['silver/a', 10, '42'],
    ]);
  });

  test('a partitioned run records one materialization per partition, with its rows', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'daily',
        partitions: dailyPartitions({ start: '2025-01-01' }),
        work: async (context) => ({
          rows: 30,
          partitions: Object.fromEntries(context.partitionKeys.map((key, i) => [key, { rows: 10 + i }])),
        }),
      }),
      fakeAsset(log, { key: 'plain' }),
    ]);
    const { outcome } = await run(graph, { partitionKeys: ['2025-01-03', '2025-01-04', '2025-01-05'] });
    expect(outcome.status).toBe('SUCCESS');
    const context = log.contexts.find((c) => c.assetKey === 'daily');
    expect(context?.partitionKeyRange).toEqual({ start: '2025-01-03', end: '2025-01-05' });
    expect(context?.partitionTimeWindow).toEqual({ start: '2025-01-03T00:00:00Z', end: '2025-01-06T00:00:00Z' });
    expect(log.contexts.find((c) => c.assetKey === 'plain')?.partitionKeys).toEqual([]);
    const rows = storage.materializations({ assetKey: 'daily' }).map((m) => [m.partitionKey, m.rows]);
    expect(rows.sort()).toEqual([
      ['2025-01-03', 10],
      ['2025-01-04', 11],
      ['2025-01-05', 12],
    ]);
    expect(storage.run(outcome.runId)?.range).toEqual({ from: '2025-01-03', to: '2025-01-05' });
  });
});

describe('locks and broken pieces', () => {
  test('a second run on an overlapping asset is refused, naming the holder run and its PID', async () => {
    const log = journal();
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => {};
    const isRunning = new Promise<void>((resolve) => {
      started = resolve;
    });
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'slow',
        work: async () => {
          started();
          await held;
          return { rows: 1 };
        },
      }),
      fakeAsset(log, { key: 'quick' }),
    ]);
    const first = run(graph, { keys: ['slow'] });
    await isRunning;
    const holder = storage.assetLocks()[0];
    const refused = await run(graph, { keys: ['slow', 'quick'] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AssetLockedError);
    expect((refused as Error).message).toContain(`run ${holder?.runId} (PID ${process.pid}`);
    release();
    expect((await first).outcome.status).toBe('SUCCESS');
    // The refused run is recorded as not started; the locks are all released.
    const refusedRun = storage.runs({ limit: 1 })[0];
    expect([refusedRun?.status, refusedRun?.statusMessage?.startsWith('Not started:')]).toEqual(['FAILURE', true]);
    expect(storage.assetLocks()).toEqual([]);
  });

  test('a nextSteps that starts a step before its deps is stopped with a clear error', async () => {
    const log = journal();
    const graph = new AssetGraph([fakeAsset(log, { key: 'a' }), fakeAsset(log, { key: 'b', deps: ['a'] })]);
    const eager: OrchestrationPieces['nextSteps'] = ({ graph: steps, status }) => ({
      start: steps.filter((s) => status[s.key] === 'pending').map((s) => s.key),
      skip: [],
    });
    const error = await run(graph, { pieces: { ...pieces, nextSteps: eager } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe('nextSteps started b before a, which it is built from, succeeded.');
    expect(log.events).not.toContain('start:b');
    expect(storage.runs({ limit: 1 })[0]?.status).toBe('FAILURE');
  });

  test('a retryDelay that answers a negative wait is stopped', async () => {
    const log = journal();
    const graph = new AssetGraph([
      fakeAsset(log, {
        key: 'a',
        retry: { maxRetries: 1 },
        work: () => {
          throw new Error('x');
        },
      }),
    ]);
    const error = await run(graph, { pieces: { ...pieces, retryDelay: () => -1 } }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^retryDelay returned -1 for attempt 1/);
  });
});
