import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runResultsSchemaVersion, runSqlPath, writeRunResults } from '../src/artifacts/run-results.ts';
import { buildManifest, dataTest, model, type RuntimeFixture, runtimeFixture } from './helpers/runtime-nodes.ts';

// run_results.json in dbt's v6 layout (§1.7) and target/run/… with the executed SQL.

/** The keys of run-results v6 (schemas/dbt/run-results/v6.json): required ones, and all allowed. */
const top = {
  required: ['metadata', 'results', 'elapsed_time'],
  allowed: ['metadata', 'results', 'elapsed_time', 'args'],
};
const metadata = {
  required: ['dbt_schema_version'],
  allowed: ['dbt_schema_version', 'dbt_version', 'generated_at', 'invocation_id', 'env'],
};
const resultKeys = [
  'status',
  'timing',
  'thread_id',
  'execution_time',
  'adapter_response',
  'message',
  'failures',
  'unique_id',
  'compiled',
  'compiled_code',
  'relation_name',
];
const runStatuses = ['success', 'error', 'skipped', 'partial success', 'pass', 'fail', 'warn'];

function expectKeys(object: Record<string, unknown>, keys: { required: string[]; allowed: string[] }) {
  for (const key of keys.required) expect(object).toHaveProperty(key);
  for (const key of Object.keys(object)) expect(keys.allowed).toContain(key);
}

describe('run_results.json', () => {
  let fx: RuntimeFixture;
  beforeEach(async () => {
    fx = await runtimeFixture('run-results');
    await fx.db.run('create table warehouse.main.raw (d timestamp, v integer)');
    await fx.db.run("insert into warehouse.main.raw values ('2024-03-01 10:00', 1), ('2024-03-02 10:00', 2)");
  });
  afterEach(() => fx.close());

  test('every result has every required key, with dbt’s types; target/run holds the executed SQL', async () => {
    const manifest = buildManifest(fx.project, [
      model({ name: 'good', sql: 'select 1 as id', config: { materialized: 'table' } }),
      model({ name: 'bad', sql: 'select nope', config: { materialized: 'table' } }),
      model({ name: 'after_bad', sql: "select * from {{ ref('bad') }}" }),
      model({
        name: 'batches',
        sql: 'select d, v from warehouse.main.raw',
        config: {
          materialized: 'incremental',
          incremental_strategy: 'microbatch',
          event_time: 'd',
          batch_size: 'day',
          begin: '2024-03-01',
        },
      }),
      dataTest({ name: 'fails', sql: "select * from {{ ref('good') }}" }),
    ]);
    const { results } = await fx.run(manifest, { now: new Date('2024-03-02T12:00:00Z') });
    const written = writeRunResults({
      project: fx.project,
      results,
      elapsedTime: 1.5,
      args: { which: 'build', select: [], full_refresh: false, threads: 1 },
      invocationId: '00000000-0000-4000-8000-000000000000',
      generatedAt: new Date('2024-03-02T12:00:01.234Z'),
    });
    expect(written.path).toBe(join(fx.project.targetPath, 'run_results.json'));
    const document = JSON.parse(readFileSync(written.path, 'utf8'));
    expectKeys(document, top);
    expectKeys(document.metadata, metadata);
    expect(document.metadata).toEqual({
      dbt_schema_version: runResultsSchemaVersion,
      dbt_version: expect.any(String),
      generated_at: '2024-03-02T12:00:01.234000Z',
      invocation_id: '00000000-0000-4000-8000-000000000000',
      env: {},
    });
    expect(runResultsSchemaVersion).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    expect(document.elapsed_time).toBe(1.5);
    expect(document.args.which).toBe('build');

    for (const entry of document.results) {
      expectKeys(entry, { required: resultKeys, allowed: [...resultKeys, 'batch_results'] });
      expect(runStatuses).toContain(entry.status);
      expect(typeof entry.thread_id).toBe('string');
      expect(typeof entry.execution_time).toBe('number');
      expect(typeof entry.adapter_response).toBe('object');
      expect(entry.failures === null || Number.isInteger(entry.failures)).toBe(true);
      for (const timing of entry.timing) {
        expect(Object.keys(timing)).toEqual(['name', 'started_at', 'completed_at']);
        expect(timing.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      }
    }
    const byId = Object.fromEntries(document.results.map((entry: { unique_id: string }) => [entry.unique_id, entry]));
    expect(byId['model.mart.good']).toMatchObject({
      status: 'success',
      message: 'OK',
      failures: null,
      compiled: true,
      compiled_code: 'select 1 as id',
      relation_name: '"warehouse"."main"."good"',
      adapter_response: { _message: 'OK', rows_affected: 1 },
      batch_results: null,
      thread_id: 'Thread-1 (worker)',
    });
    expect(byId['model.mart.good'].timing.map((t: { name: string }) => t.name)).toEqual(['compile', 'execute']);
    expect(byId['model.mart.bad']).toMatchObject({ status: 'error', failures: null, adapter_response: {} });
    expect(byId['model.mart.bad'].message).toMatch(/^Database Error in model bad \(models\/bad\.sql\)/);
    expect(byId['model.mart.after_bad']).toMatchObject({
      status: 'skipped',
      timing: [],
      execution_time: 0,
      adapter_response: {},
      failures: null,
      thread_id: 'main',
      message: 'Skipped because model.mart.bad failed with an error.',
    });
    expect(byId['model.mart.batches']).toMatchObject({
      status: 'success',
      failures: 0,
      batch_results: {
        successful: [
          ['2024-03-01T00:00:00Z', '2024-03-02T00:00:00Z'],
          ['2024-03-02T00:00:00Z', '2024-03-03T00:00:00Z'],
        ],
        failed: [],
      },
    });
    expect(byId['test.mart.fails']).toMatchObject({
      status: 'fail',
      failures: 1,
      message: 'Got 1 result, configured to fail if != 0',
      relation_name: null,
    });

    // target/run/<project>/<path>: what each node executed.
    const good = runSqlPath(fx.project, manifest.nodes.get('model.mart.good') as never);
    expect(good).toBe(join(fx.project.targetPath, 'run', 'mart', 'models', 'good.sql'));
    expect(written.runFiles).toContain(good);
    expect(readFileSync(good, 'utf8')).toContain(
      'create table "warehouse"."main"."good__dbt_tmp" as (\nselect 1 as id\n);',
    );
    expect(readFileSync(join(fx.project.targetPath, 'run', 'mart', 'tests', 'fails.sql'), 'utf8')).toContain(
      'select cast(count(*) as double) as failures',
    );
    expect(existsSync(join(fx.project.targetPath, 'run', 'mart', 'models', 'after_bad.sql'))).toBe(false);
    // Bound values are shown above their statement, so the file says what $1 and $2 were.
    const batches = readFileSync(join(fx.project.targetPath, 'run', 'mart', 'models', 'batches.sql'), 'utf8');
    expect(batches).toContain(
      `-- $1 = '2024-03-02 00:00:00.000', $2 = '2024-03-03 00:00:00.000'\ndelete from "warehouse"."main"."batches" as DBT_INTERNAL_DEST where DBT_INTERNAL_DEST."d" >= cast($1 as timestamp)`,
    );
  });

  test('nodes that share a file (generic tests in a yml) get their own run file under it', () => {
    const project = fx.project;
    const node = {
      ...buildManifest(project, [dataTest({ name: 'x', sql: 'select 1' })]).nodes.get('test.mart.x'),
      originalFilePath: 'models/schema.yml',
      path: 'not_null_orders_id.sql',
    };
    expect(runSqlPath(project, node as never)).toBe(
      join(project.targetPath, 'run', 'mart', 'models', 'schema.yml', 'not_null_orders_id.sql'),
    );
  });
});
