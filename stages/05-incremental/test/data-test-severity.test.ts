import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseThreshold, thresholdMet } from '../src/data-tests/thresholds.ts';
import type { NodeConfig } from '../src/manifest/types.ts';
import { buildManifest, dataTest, model, type RuntimeFixture, runtimeFixture } from './helpers/runtime-nodes.ts';

// Data tests: failing-rows queries wrapped as dbt does (§6.2), with severity, warn_if,
// error_if, fail_calc and limit; failing rows sampled.
describe('data tests', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('data-tests');
  });
  afterEach(() => fx.close());

  /** A table with `n` rows whose status is NULL, and a not_null-style test over it. */
  const project = async (nulls: number, config: Partial<NodeConfig> = {}) => {
    return buildManifest(fx.project, [
      model({
        name: 'orders',
        sql: `select range as id, case when range < ${nulls} then null else 'ok' end as status from range(300)`,
        config: { materialized: 'table' },
      }),
      dataTest({
        name: 'not_null_orders_status',
        sql: "select * from {{ ref('orders') }} where status is null",
        config,
      }),
    ]);
  };
  const testResult = async (nulls: number, config: Partial<NodeConfig> = {}) =>
    (await fx.run(await project(nulls, config))).byName.not_null_orders_status;

  test('pass: status pass, no message, 0 failures, no sample', async () => {
    const result = await testResult(0);
    expect(result).toMatchObject({
      status: 'pass',
      message: null,
      failures: 0,
      sample: null,
      relationName: null,
      compiled: true,
    });
    expect(result?.executedSql).toEqual([
      {
        sql: `select cast(count(*) as double) as failures\n  from (\nselect * from "warehouse"."main"."orders" where status is null\n) dbt_internal_test`,
      },
    ]);
  });

  test('fail: dbt’s message, the failure count, the first 20 failing rows kept and written as CSV', async () => {
    const result = await testResult(23);
    expect(result?.status).toBe('fail');
    expect(result?.message).toBe('Got 23 results, configured to fail if != 0');
    expect(result?.failures).toBe(23);
    expect(result?.sample?.columns).toEqual(['id', 'status']);
    expect(result?.sample?.rows).toHaveLength(20);
    const file = join(fx.project.targetPath, 'samples', 'not_null_orders_status.csv');
    expect(result?.sample?.path).toBe(file);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('id,status');
    expect(lines).toHaveLength(21);
    // Once it passes, the stale sample goes.
    await testResult(0);
    expect(existsSync(file)).toBe(false);
  });

  test('severity warn: a warning, never a failure', async () => {
    const result = await testResult(1, { severity: 'WARN' });
    expect(result?.status).toBe('warn');
    expect(result?.message).toBe('Got 1 result, configured to warn if != 0');
    expect(result?.failures).toBe(1);
  });

  test.each([
    [5, 'pass'],
    [11, 'warn'],
    [101, 'fail'],
  ])('warn_if >10, error_if >100 with %i failing rows → %s', async (nulls, status) => {
    const result = await testResult(nulls, { warn_if: '>10', error_if: '>100' });
    expect(result?.status).toBe(status);
    if (status === 'warn') expect(result?.message).toBe(`Got ${nulls} results, configured to warn if >10`);
    if (status === 'fail') expect(result?.message).toBe(`Got ${nulls} results, configured to fail if >100`);
  });

  test('fail_calc and limit are applied as dbt does', async () => {
    expect((await testResult(30, { limit: 4 }))?.failures).toBe(4);
    const summed = await testResult(3, { fail_calc: 'sum(id)' });
    expect(summed?.message).toBe('Got 3 results, configured to fail if != 0'); // 0 + 1 + 2
  });

  test('an invalid condition or severity is a Compilation Error; a broken query a Database Error', async () => {
    expect((await testResult(1, { warn_if: '!= 0; drop table orders' }))?.message).toBe(
      "Compilation Error in test not_null_orders_status (tests/not_null_orders_status.sql)\n  warn_if '!= 0; drop table orders' is not a condition this runner can evaluate.\n  Write a comparison with a number, like '!= 0', '>10' or '>= 100'.",
    );
    expect((await testResult(1, { severity: 'info' as never }))?.message).toContain(
      "Severity must be either 'warn' or 'error'. Got 'info'",
    );
    const broken = buildManifest(fx.project, [dataTest({ name: 'broken', sql: 'select * from nowhere' })]);
    const { byName } = await fx.run(broken, { command: 'test' });
    expect(byName.broken?.status).toBe('error');
    expect(byName.broken?.message).toMatch(/^Database Error in test broken \(tests\/broken\.sql\)\n {2}Catalog Error/);
  });

  test('store_failures keeps the failing rows in a table', async () => {
    const manifest = buildManifest(fx.project, [
      model({
        name: 'orders',
        sql: "select 1 as id, null as status union all select 2, 'ok'",
        config: { materialized: 'table' },
      }),
      dataTest({
        name: 'stored',
        sql: "select * from {{ ref('orders') }} where status is null",
        schema: 'main_dbt_test__audit',
        config: { store_failures: true },
      }),
    ]);
    const { byName } = await fx.run(manifest);
    expect(byName.stored?.relationName).toBe('"warehouse"."main_dbt_test__audit"."stored"');
    expect(await fx.rows('select id from warehouse.main_dbt_test__audit.stored')).toEqual([{ id: 1 }]);
  });

  test('build: a failing error-severity test skips what is built from the node it tests; a warning does not', async () => {
    const manifest = (severity: 'ERROR' | 'WARN') =>
      buildManifest(fx.project, [
        model({ name: 'orders', sql: 'select 1 as id union all select 1', config: { materialized: 'table' } }),
        dataTest({
          name: 'unique_orders_id',
          sql: "select id from {{ ref('orders') }} group by id having count(*) > 1",
          config: { severity },
        }),
        model({
          name: 'order_summary',
          sql: "select count(*) as n from {{ ref('orders') }}",
          config: { materialized: 'table' },
        }),
        model({ name: 'unrelated', sql: 'select 1 as x' }),
      ]);
    const failing = await fx.run(manifest('ERROR'));
    expect(failing.results.map((r) => [r.node.name, r.status])).toEqual([
      ['orders', 'success'],
      ['unrelated', 'success'],
      ['unique_orders_id', 'fail'],
      ['order_summary', 'skipped'],
    ]);
    expect(failing.byName.order_summary?.message).toBe('Skipped because test.mart.unique_orders_id failed.');
    const warning = await fx.run(manifest('WARN'));
    expect(warning.byName.unique_orders_id?.status).toBe('warn');
    expect(warning.byName.order_summary?.status).toBe('success');
    // `run` has no tests, and `test` runs only them: a failing test skips nothing there.
    const run = await fx.run(manifest('ERROR'), { command: 'run' });
    expect(run.results.map((r) => r.status)).toEqual(['success', 'success', 'success']);
    const tests = await fx.run(manifest('ERROR'), { command: 'test' });
    expect(tests.results.map((r) => [r.node.name, r.status])).toEqual([['unique_orders_id', 'fail']]);
  });
});

describe('warn_if / error_if conditions', () => {
  test.each([
    ['!= 0', 0, false],
    ['!= 0', 3, true],
    ['<> 0', 3, true],
    ['>10', 10, false],
    ['>10', 11, true],
    ['>= 10', 10, true],
    ['= 0', 0, true],
    ['== 2', 2, true],
    ['< 5', 4, true],
    ['<=5', 6, false],
    ['> 1.5', 2, true],
  ])('%s with %i → %s', (text, failures, met) => {
    expect(thresholdMet(failures, parseThreshold(text, 'warn_if'))).toBe(met);
  });

  test('a NULL count meets no condition (as in SQL)', () => {
    expect(thresholdMet(null, parseThreshold('= 0', 'error_if'))).toBe(false);
  });

  test.each(['', 'count(*) > 1', '!= x', '> 1 or true', '!= 0; drop table t'])('%j is refused', (text) => {
    expect(() => parseThreshold(text, 'error_if')).toThrow('is not a condition this runner can evaluate');
  });
});
