// `pnpm stage 6 materialize`, `runs` and `assets` through the real CLI, on the real
// pipeline (stages 2–5), in a fresh data folder with the embedded S3 server and small
// data. The tests run in order: each continues the lake and the run history the
// previous one left. The first run also sends its OpenLineage events to a server here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from '@mart/shared';
import { runCli, runCliAsync, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Dataset, RunEvent } from '../src/given/index.ts';
import { validateLineageEvent } from '../src/lineage/index.ts';
import { RunStorage } from '../src/storage/index.ts';
import { type LineageServer, startLineageServer } from './helpers/lineage-server.ts';

describe('pnpm stage 6 materialize, runs, assets', () => {
  const data = tempDir('stage-06-cli');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage = (n: number, ...args: string[]) => runCli(['stage', String(n), ...args], env);
  const storage = () => RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
  const stackTrace = /\n\s+at .+:\d+:\d+/;
  let lineageServer: LineageServer;
  afterAll(async () => {
    await lineageServer?.close();
    data.remove();
  });

  beforeAll(async () => {
    lineageServer = await startLineageServer();
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

  /** Every OpenLineage event written to data/lineage/ so far, in file order. */
  function lineageOnDisk(): RunEvent[] {
    const dir = join(data.path, 'lineage');
    return readdirSync(dir)
      .filter((name) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name))
      .sort()
      .flatMap((name) => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n'))
      .map((line) => JSON.parse(line) as RunEvent);
  }

  /** The events of one orchestrator run: its own, and its asset steps' (their parent facet names it). */
  function eventsOfRun(events: readonly RunEvent[], runId: string): RunEvent[] {
    return events.filter((event) => event.run.runId === runId || event.run.facets?.parent?.run.runId === runId);
  }

  test('materialize builds everything from the raw files to gold and the dbt marts', async () => {
    // Asynchronously, so that the lineage server in this process can answer the run.
    const run = await runCliAsync(['stage', '6', 'materialize'], {
      ...env,
      MART_OPENLINEAGE_URL: lineageServer.url,
      MART_OPENLINEAGE_API_KEY: 'test-token',
    });
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
      // Dagster's column_schema: each table's columns as the step left them (DuckLake's, the warehouse's).
      expect(fact?.metadata.column_schema).toMatchObject({
        columns: expect.arrayContaining([{ name: 'sale_id', type: 'VARCHAR' }]),
      });
      const model = db.materializations({ runId: latest?.id ?? '', assetKey: 'dbt/fct_sales' })[0];
      expect(model?.metadata.column_schema).toMatchObject({
        columns: expect.arrayContaining([{ name: 'amount', type: 'DECIMAL(12,2)' }]),
      });
      // dbt tests ran as the assets' checks.
      expect(db.checkResults({ runId: latest?.id ?? '', assetKey: 'dbt/fct_sales' }).length).toBeGreaterThan(0);
      expect(db.assetLocks()).toEqual([]);
    } finally {
      db.close();
    }
  });

  test('its OpenLineage events: on disk and at the endpoint, valid, with schema, sql, column lineage and rows', async () => {
    const onDisk = lineageOnDisk();
    // 2 for the run, 2 for each of its 25 assets. The CLI waits for the endpoint before it exits.
    expect(onDisk).toHaveLength(52);
    await lineageServer.waitFor(onDisk.length);
    expect(lineageServer.received.map((r) => r.event)).toEqual(onDisk);
    for (const { headers } of lineageServer.received) expect(headers.authorization).toBe('Bearer test-token');
    for (const event of onDisk) {
      expect(validateLineageEvent(event), `${event.eventType} ${event.job.name}`).toEqual({ valid: true, errors: [] });
    }

    // The run's START first and COMPLETE last; each asset's START before its COMPLETE, under the run.
    const runId = onDisk[0]?.run.runId ?? '';
    expect([onDisk[0]?.eventType, onDisk.at(-1)?.eventType, onDisk.at(-1)?.run.runId]).toEqual([
      'START',
      'COMPLETE',
      runId,
    ]);
    const steps = onDisk.slice(1, -1);
    for (const event of steps) expect(event.run.facets?.parent?.run.runId).toBe(runId);
    const order = (job: string) => steps.filter((e) => e.job.name === job).map((e) => e.eventType);
    for (const job of new Set(steps.map((e) => e.job.name))) expect(order(job), job).toEqual(['START', 'COMPLETE']);

    const complete = (job: string) => steps.find((e) => e.job.name === job && e.eventType === 'COMPLETE') as RunEvent;
    const fields = (dataset: Dataset | undefined) => dataset?.facets?.schema?.fields.map((field) => field.name);
    const warehouse = join(data.path, 'warehouse', 'stage-05.duckdb');
    const db = await Database.open(warehouse, { readOnly: true });
    let columns: { name: string; type: string }[];
    let rows: number;
    try {
      columns = await db.all(
        `select column_name as name, data_type as type from information_schema.columns
          where table_schema = 'main' and table_name = 'fct_sales' order by ordinal_position`,
      );
      rows = Number(await db.value('select count(*) from main.fct_sales'));
    } finally {
      db.close();
    }

    // A stage 5 model: its table's real columns and rows, its compiled SQL, where each column comes from.
    const fct = complete('dbt/fct_sales');
    const [output] = fct.outputs;
    expect(output).toMatchObject({ namespace: `duckdb://${warehouse}`, name: 'main.fct_sales' });
    expect(output?.facets?.schema?.fields).toEqual(columns);
    expect(fields(output)).toContain('amount');
    expect(output?.outputFacets?.outputStatistics?.rowCount).toBe(rows);
    const sql = fct.job.facets?.sql?.query ?? '';
    expect(sql).toContain('from "stage-05"."main"."stg_sales" as s');
    expect(sql).not.toContain('{{');
    const lineage = output?.facets?.columnLineage?.fields ?? {};
    expect(lineage.amount?.inputFields).toEqual([
      { namespace: `duckdb://${warehouse}`, name: 'main.stg_sales', field: 'amount', transformation: 'IDENTITY' },
    ]);
    expect(lineage.region?.inputFields.map((f) => [f.name, f.field])).toEqual([['main.stg_stores', 'region']]);
    // Column lineage only ever points at the event's own inputs, which carry their schemas.
    for (const event of steps.filter((e) => e.eventType === 'COMPLETE' && e.job.name.startsWith('dbt/'))) {
      const inputs = new Set(event.inputs.map((input) => `${input.namespace} ${input.name}`));
      for (const column of Object.values(event.outputs[0]?.facets?.columnLineage?.fields ?? {})) {
        for (const field of column.inputFields)
          expect(inputs, event.job.name).toContain(`${field.namespace} ${field.name}`);
      }
    }
    expect(fields(fct.inputs.find((input) => input.name === 'main.stg_sales'))).toContain('unit_price');
    // stg_sales reads the bronze Parquet files of the lake: lineage to the S3 dataset.
    const staging = complete('dbt/stg_sales');
    const bronze = staging.inputs[0];
    expect(bronze?.namespace).toMatch(/^s3:\/\//);
    expect(bronze?.name).toBe('bronze/sales/');
    expect(fields(bronze)).toContain('_ingest_id');
    const stgSales = staging.outputs[0]?.facets?.columnLineage?.fields;
    expect(stgSales?.amount?.inputFields).toEqual([
      { namespace: bronze?.namespace, name: bronze?.name, field: 'quantity', transformation: 'TRANSFORMATION' },
      { namespace: bronze?.namespace, name: bronze?.name, field: 'unit_price', transformation: 'TRANSFORMATION' },
    ]);

    // The lake's tables: DuckLake's columns. The raw files: their CSV header, all text.
    expect(fields(complete('lake/silver/fact_sales').outputs[0])).toContain('sale_id');
    const rawSales = complete('lake/bronze/sales').inputs.find((input) => input.name.endsWith('/sales.csv'));
    expect(rawSales?.facets?.schema?.fields.slice(0, 2)).toEqual([
      { name: 'sale_id', type: 'VARCHAR' },
      { name: 'line_number', type: 'VARCHAR' },
    ]);
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

      // Its lineage: the model's FAIL and the run's, each with the errorMessage facet.
      const events = eventsOfRun(lineageOnDisk(), latest?.id ?? '');
      for (const event of events) expect(validateLineageEvent(event).errors).toEqual([]);
      const failed = events.filter((event) => event.eventType === 'FAIL');
      expect(failed.map((event) => event.job.name)).toEqual(['dbt/fct_sales', 'materialize']);
      expect(failed[0]?.run.facets?.errorMessage).toMatchObject({
        message: expect.stringMatching(/Forced failure.*gave up after 3 attempts/),
        programmingLanguage: 'TypeScript',
      });
      expect(failed[1]?.run.facets?.errorMessage?.message).toBeTruthy();
      // Nothing was written: no rows, and no facets of a table that was not built.
      expect(failed[0]?.outputs[0]?.outputFacets).toBeUndefined();
      expect(failed[0]?.outputs[0]?.facets?.columnLineage).toBeUndefined();
      expect(events.filter((event) => event.job.name === 'dbt/stg_sales').map((e) => e.eventType)).toEqual([
        'START',
        'COMPLETE',
      ]);
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
