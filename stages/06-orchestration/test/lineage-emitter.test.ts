// A run's lineage end to end: the emitter with the reference lineage-event piece, the
// file sink, and the HTTP sink against real servers on 127.0.0.1 (one that answers 201,
// one that fails once with 500, one that is down, one that never answers).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotImplementedError } from '@mart/shared';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { assetLineageEvent } from '../../../solutions/06-orchestration/lineage-event.ts';
import { facetSchemaUrls, type RunEvent } from '../src/given/index.ts';
import {
  type AssetStepLineage,
  duckdbDataset,
  fileDataset,
  LineageEmitter,
  type LineageEmitterOptions,
  lineageDataset,
  lineageProducer,
  stepRunId,
  validateLineageEvent,
} from '../src/lineage/index.ts';
import { type LineageServer, startLineageServer } from './helpers/lineage-server.ts';

const servers: LineageServer[] = [];

/** A server on 127.0.0.1 (see helpers/lineage-server.ts), closed after the test. */
async function startServer(answer: (n: number) => number | 'hang'): Promise<LineageServer> {
  const server = await startLineageServer(answer);
  servers.push(server);
  return server;
}

/** A port nothing listens on: connections are refused. */
async function downUrl(): Promise<string> {
  const server = await startLineageServer();
  await server.close();
  return server.url;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mart-lineage-'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const runId = '4f1d2c3b-5a69-4e78-9f01-23456789abcd';
const now = () => new Date('2026-12-02T10:00:00.000Z');
const producer = lineageProducer;
const warehouse = '/work/data/warehouse/stage-05.duckdb';

const stgSales = lineageDataset(duckdbDataset(warehouse, 'main', 'stg_sales'), {
  producer,
  columns: [
    { name: 'sale_id', type: 'VARCHAR' },
    { name: 'amount', type: 'DECIMAL(10,2)' },
  ],
});
const fctSales = lineageDataset(duckdbDataset(warehouse, 'main', 'fct_sales'), {
  producer,
  columns: [{ name: 'revenue', type: 'DECIMAL(18,2)' }],
  columnLineage: {
    revenue: [{ namespace: stgSales.namespace, name: stgSales.name, field: 'amount', transformation: 'AGGREGATION' }],
  },
});
const rawSales = lineageDataset(fileDataset('/work/data/seeds/stage-02/sales.csv'), { producer });
const steps: AssetStepLineage[] = [
  { runId, assetKey: 'raw/sales', inputs: [rawSales], outputs: [stgSales] },
  {
    runId,
    assetKey: 'dbt/marts/fct_sales',
    inputs: [stgSales],
    outputs: [fctSales],
    sql: 'select sum(amount) as revenue from main.stg_sales',
  },
];

/** A run of two assets: the first succeeds, the second fails; the run fails. */
function emitRun(options: Partial<LineageEmitterOptions> & { env?: NodeJS.ProcessEnv }): LineageEmitter {
  const lineage = new LineageEmitter({
    dir: join(dir, 'lineage'),
    assetEvent: assetLineageEvent,
    now,
    http: { backoffMs: 5, maxBackoffMs: 20, timeoutMs: 2000 },
    ...options,
  });
  lineage.runStarted(runId);
  const [first, second] = steps as [AssetStepLineage, AssetStepLineage];
  lineage.assetStarted(first);
  lineage.assetEnded({ ...first, status: 'SUCCESS', rowCount: 1200 });
  lineage.assetStarted(second);
  lineage.assetEnded({ ...second, status: 'FAILURE', errorMessage: 'Binder Error: column "amount" not found' });
  lineage.runEnded(runId, 'FAILURE', '1 asset failed: dbt/marts/fct_sales');
  return lineage;
}

function lines(file: string): RunEvent[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);
}

describe('a run emits valid OpenLineage events', () => {
  test('to the file sink and an HTTP endpoint, in order, with the Bearer token', async () => {
    const server = await startServer(() => 201);
    const lineage = emitRun({ env: { MART_OPENLINEAGE_URL: server.url, MART_OPENLINEAGE_API_KEY: 's3cret' } });
    const report = await lineage.close();

    const file = join(dir, 'lineage', '2026-12-02.jsonl');
    expect(report).toMatchObject({ events: 6, files: [file], invalid: [], unsentFile: undefined });
    expect(report.http).toMatchObject({ endpoint: `${server.url}/api/v1/lineage`, sent: 6, unsent: [] });
    expect(report.message).toBe(
      `Lineage: 6 OpenLineage events written to ${file}.\nAll 6 sent to ${server.url}/api/v1/lineage.`,
    );

    const events = lines(file);
    expect(server.received.map((r) => r.event)).toEqual(events);
    for (const { headers } of server.received) {
      expect(headers['content-type']).toBe('application/json');
      expect(headers.authorization).toBe('Bearer s3cret');
    }
    for (const event of events) expect(validateLineageEvent(event)).toEqual({ valid: true, errors: [] });

    expect(events.map((e) => [e.job.name, e.eventType])).toEqual([
      ['materialize', 'START'],
      ['raw/sales', 'START'],
      ['raw/sales', 'COMPLETE'],
      ['dbt/marts/fct_sales', 'START'],
      ['dbt/marts/fct_sales', 'FAIL'],
      ['materialize', 'FAIL'],
    ]);
    // The run's events carry the run id; each asset is its own run, pointing at it.
    const [runStart, salesStart, salesEnd, , fctFail, runFail] = events as RunEvent[];
    expect(runStart?.run.runId).toBe(runId);
    expect(runStart?.job).toMatchObject({
      namespace: 'mini-data-mart',
      facets: { jobType: { jobType: 'JOB', processingType: 'BATCH' } },
    });
    expect(salesStart?.run.runId).toBe(stepRunId(runId, 'raw/sales'));
    expect(salesEnd?.run.runId).toBe(salesStart?.run.runId);
    expect(salesEnd?.run.facets?.parent).toMatchObject({
      run: { runId },
      job: { namespace: 'mini-data-mart', name: 'materialize' },
    });
    expect(salesEnd?.outputs[0]?.outputFacets?.outputStatistics?.rowCount).toBe(1200);
    expect(salesEnd?.inputs[0]).toMatchObject({ namespace: 'file', name: '/work/data/seeds/stage-02/sales.csv' });
    expect(fctFail?.run.facets?.errorMessage).toMatchObject({
      message: 'Binder Error: column "amount" not found',
      programmingLanguage: 'TypeScript',
    });
    expect(fctFail?.job.facets?.sql?.query).toBe('select sum(amount) as revenue from main.stg_sales');
    expect(fctFail?.outputs[0]?.facets?.columnLineage?._schemaURL).toBe(facetSchemaUrls.columnLineage);
    expect(runFail?.run.facets?.errorMessage?.message).toBe('1 asset failed: dbt/marts/fct_sales');
  });

  test('without an endpoint configured, only the file', async () => {
    const report = await emitRun({ env: {} }).close();
    expect(report.http).toBeUndefined();
    expect(report.message).toBe(
      `Lineage: 6 OpenLineage events written to ${join(dir, 'lineage', '2026-12-02.jsonl')}.`,
    );
  });
});

describe('the HTTP sink', () => {
  test('retries a 500 with backoff: the event arrives once the server answers 201', async () => {
    const server = await startServer((n) => (n === 0 ? 500 : 201));
    const report = await emitRun({ env: { MART_OPENLINEAGE_URL: server.url } }).close();
    expect(report.http?.sent).toBe(6);
    expect(report.http?.unsent).toEqual([]);
    expect(server.received.map((r) => r.event.eventType)).toEqual([
      'START',
      'START',
      'COMPLETE',
      'START',
      'FAIL',
      'FAIL',
    ]);
  });

  test('does not retry a rejection (400): that event is reported unsent, the rest go on', async () => {
    const server = await startServer((n) => (n === 1 ? 400 : 201));
    const report = await emitRun({ env: { MART_OPENLINEAGE_URL: server.url } }).close();
    expect(report.http?.sent).toBe(5);
    expect(report.http?.unsent.map((u) => [u.event.job.name, u.event.eventType, u.reason])).toEqual([
      ['raw/sales', 'START', 'HTTP 400: {"error":"boom"}'],
    ]);
  });

  test('an endpoint that is down: the run is not slowed or failed, events stay on disk, and it says so', async () => {
    const url = await downUrl();
    const started = performance.now();
    const lineage = emitRun({ env: { MART_OPENLINEAGE_URL: url } });
    // Emitting never waits for the network.
    expect(performance.now() - started).toBeLessThan(500);
    const report = await lineage.close({ timeoutMs: 10_000 });

    const file = join(dir, 'lineage', '2026-12-02.jsonl');
    expect(lines(file)).toHaveLength(6);
    expect(report.http?.sent).toBe(0);
    expect(report.http?.unsent).toHaveLength(6);
    expect(report.unsentFile).toBe(join(dir, 'lineage', 'unsent.jsonl'));
    expect(lines(report.unsentFile ?? '')).toEqual(lines(file));
    expect(report.message).toMatch(
      new RegExp(
        `^Lineage: 6 OpenLineage events written to .*2026-12-02\\.jsonl\\.\\n6 could not be sent to ${url.replaceAll('.', '\\.')}/api/v1/lineage \\(connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+ \\(gave up after 5 tries\\)\\); they are kept in .*unsent\\.jsonl\\. The run itself is not affected\\.$`,
      ),
    );
  });

  test('a server that never answers: close gives up at its time limit', async () => {
    const server = await startServer(() => 'hang');
    const lineage = emitRun({ env: { MART_OPENLINEAGE_URL: server.url }, http: { timeoutMs: 60_000 } });
    const started = performance.now();
    const report = await lineage.close({ timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(report.http?.sent).toBe(0);
    expect(report.http?.unsent.map((u) => u.reason)).toEqual(
      Array(6).fill('not sent within the 0.3 s limit at the end of the run'),
    );
    expect(existsSync(join(dir, 'lineage', 'unsent.jsonl'))).toBe(true);
  });
});

describe("the learner's piece inside the emitter (--mine)", () => {
  test('an invalid event is written to the file, not sent, and reported', async () => {
    const server = await startServer(() => 201);
    const noParent = (options: Parameters<typeof assetLineageEvent>[0]): RunEvent => {
      const event = assetLineageEvent(options);
      delete event.run.facets?.parent;
      if (event.run.facets?.errorMessage)
        delete (event.run.facets.errorMessage as Partial<{ _schemaURL: string }>)._schemaURL;
      return event;
    };
    const report = await emitRun({ env: { MART_OPENLINEAGE_URL: server.url }, assetEvent: noParent }).close();
    expect(report.events).toBe(6);
    expect(report.invalid.map((i) => [i.job, i.eventType])).toEqual([['dbt/marts/fct_sales', 'FAIL']]);
    expect(report.invalid[0]?.errors).toContain("run.facets.errorMessage: must have required property '_schemaURL'");
    expect(report.http?.sent).toBe(5);
    expect(report.message).toContain('1 of them are not valid OpenLineage (not sent): FAIL dbt/marts/fct_sales:');
  });

  test('a piece that throws costs its events, not the run', async () => {
    const report = await emitRun({
      env: {},
      assetEvent: () => {
        throw new NotImplementedError('06-orchestration/lineage-event');
      },
    }).close();
    expect(report.events).toBe(2);
    expect(report.invalid).toHaveLength(4);
    expect(report.invalid[0]?.errors[0]).toBe(
      'could not be built: Exercise 06-orchestration/lineage-event is not implemented yet.',
    );
  });
});
