// How the course's assets become steps, without running them: stage 5's project parsed
// into dbt assets, stage 4's bronze as one ingest step and its silver and gold as one
// build step, dbt steps waiting for the run's lake steps; raw files observed and
// fingerprinted; the lesson hooks. (Running them is test/cli-*.test.ts.)
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CommandContext, MartPaths, MineScope, UsageError } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { capturedOutput } from '../src/materializers/captured-output.ts';
import { type CoursePipeline, loadCoursePipeline } from '../src/materializers/course-pipeline.ts';
import { observeRawFiles, rawFingerprint } from '../src/materializers/raw-files.ts';
import { planRun } from '../src/run/plan.ts';
import { testHooks } from '../src/run/test-hooks.ts';

const temp = tempDir('stage-06-materializers');
const paths = new MartPaths({ data: temp.path });
const context: Pick<CommandContext, 'mine' | 'paths' | 'env'> = { mine: MineScope.none(), paths, env: {} };
let pipeline: CoursePipeline;
beforeAll(async () => {
  pipeline = await loadCoursePipeline({ context });
});
afterAll(async () => {
  await pipeline.close();
  temp.remove();
});

describe('the course pipeline as steps', () => {
  test('everything: one ingest step, one build step, one step per dbt node; raw files external', () => {
    const plan = planRun(pipeline.graph, pipeline.graph.keys(), pipeline.planOptions);
    expect(plan.external).toEqual(['raw/customers', 'raw/products', 'raw/sales', 'raw/stores']);
    const steps = new Map(plan.steps.map((step) => [step.key, step]));
    expect(plan.steps.slice(0, 2).map((step) => step.key)).toEqual(['lake_ingest', 'lake_build']);
    expect(steps.get('lake_ingest')?.assets.map((asset) => asset.key)).toEqual([
      'lake/bronze/customers',
      'lake/bronze/products',
      'lake/bronze/rejects',
      'lake/bronze/sales',
      'lake/bronze/stores',
    ]);
    // Silver before gold inside the step: their materializations are recorded in this order.
    const built = steps.get('lake_build')?.assets.map((asset) => asset.key) ?? [];
    expect(built).toHaveLength(9);
    expect(built.findIndex((key) => key.startsWith('lake/gold/'))).toBe(6);
    expect(steps.get('lake_build')?.deps).toEqual(['lake_ingest']);
    const dbtSteps = plan.steps.filter((step) => step.key.startsWith('dbt/'));
    expect(dbtSteps.length).toBe(11);
    for (const step of dbtSteps) {
      // One mount of the lake per run: every dbt step waits for the run's lake steps.
      expect({
        step: step.key,
        waits: step.deps.includes('lake_build') || step.deps.some((d) => d.startsWith('dbt/')),
      }).toEqual({
        step: step.key,
        waits: true,
      });
    }
    expect(steps.get('dbt/fct_sales')?.deps).toEqual([
      'dbt/stg_products',
      'dbt/stg_sales',
      'dbt/stg_stores',
      'lake_build',
      'lake_ingest',
    ]);
  });

  test('a selection of some lake tables runs the build step once, for those only', () => {
    const plan = planRun(
      pipeline.graph,
      ['lake/gold/revenue_by_month', 'lake/silver/fact_sales', 'dbt/stg_sales'],
      pipeline.planOptions,
    );
    expect(plan.steps.map((step) => [step.key, step.assets.map((asset) => asset.key), step.deps])).toEqual([
      ['lake_build', ['lake/silver/fact_sales', 'lake/gold/revenue_by_month'], []],
      ['dbt/stg_sales', ['dbt/stg_sales'], ['lake_build']],
    ]);
  });

  test('dbt tests are the assets’ checks, blocking when their severity is error', () => {
    const fct = pipeline.graph.get('dbt/fct_sales');
    const checks = Object.fromEntries(fct.checks.map((check) => [check.name, check.blocking]));
    expect(checks).toMatchObject({ not_null_fct_sales_sale_id: true });
    const warn = fct.checks.find((check) => check.name.startsWith('accepted_values_fct_sales_region'));
    expect(warn?.blocking).toBe(false);
  });

  test('the microbatch model is partitioned by day from its begin, backfilled in one run', () => {
    const daily = pipeline.graph.get('dbt/daily_revenue');
    expect(daily.partitions).toMatchObject({ type: 'daily', start: '2024-01-01' });
    expect(daily.backfillPolicy).toEqual({ type: 'single_run' });
    const partitioned = pipeline.graph.assets().filter((asset) => asset.partitions);
    expect(partitioned.map((asset) => asset.key)).toEqual(['dbt/daily_revenue']);
  });
});

describe('raw files', () => {
  test('observed: present or missing, with size; fingerprinted by content, not place', () => {
    const a = join(temp.path, 'a');
    const b = join(temp.path, 'b');
    cpSync(paths.seeds(2), a, { recursive: true });
    cpSync(paths.seeds(2), b, { recursive: true });
    expect(rawFingerprint(a)).toBe(rawFingerprint(b));
    expect(rawFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(join(b, 'stores.csv'), 'store_id,name,city,region,channel,opened_date\n');
    expect(rawFingerprint(b)).not.toBe(rawFingerprint(a));
    const empty = join(temp.path, 'empty');
    mkdirSync(empty);
    const observed = observeRawFiles(empty);
    expect(observed.map((file) => [file.name, file.exists])).toEqual([
      ['customers', false],
      ['products', false],
      ['stores', false],
      ['sales', false],
    ]);
    expect(observeRawFiles(a).every((file) => file.exists && (file.bytes ?? 0) > 0)).toBe(true);
  });

  test('another stage’s command output is kept as plain lines', () => {
    const out = capturedOutput();
    out.io.output.write('│\n◇  Reading bronze\n│\n◆  Snapshot 3 committed in 10 ms\n');
    expect(out.lines()).toEqual(['Reading bronze', 'Snapshot 3 committed in 10 ms']);
  });
});

describe('the lesson hooks', () => {
  test('MART_FAIL_ASSET fails every attempt, or the first N; a misspelt key is refused', async () => {
    const io = capturedOutput().io;
    const plan = planRun(pipeline.graph, ['dbt/fct_sales', 'dbt/stg_sales'], pipeline.planOptions);
    const fct = plan.steps.find((step) => step.key === 'dbt/fct_sales');
    const stg = plan.steps.find((step) => step.key === 'dbt/stg_sales');
    if (!fct || !stg) throw new Error('no steps');
    const signal = new AbortController().signal;
    const always = testHooks({ MART_FAIL_ASSET: 'dbt/fct_sales' }, pipeline.graph, io);
    await expect(always?.(fct, 5, signal, [])).rejects.toThrow('Forced failure of dbt/fct_sales (attempt 5)');
    await expect(always?.(stg, 1, signal, [])).resolves.toBeUndefined();
    const once = testHooks({ MART_FAIL_ASSET: 'dbt/stg_sales, dbt/fct_sales:1' }, pipeline.graph, io);
    await expect(once?.(fct, 1, signal, [])).rejects.toThrow('Forced failure');
    await expect(once?.(fct, 2, signal, [])).resolves.toBeUndefined();
    expect(testHooks({}, pipeline.graph, io)).toBeUndefined();
    expect(() => testHooks({ MART_FAIL_ASSET: 'dbt/fct_sale' }, pipeline.graph, io)).toThrow(UsageError);
  });
});
