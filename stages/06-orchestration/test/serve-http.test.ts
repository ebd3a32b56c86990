// `pnpm stage 6 serve` at the HTTP level: the JSON endpoints and pages over a run storage
// and lineage files made in a temporary data folder (real RunStorage, real server, no
// mocks), HTML escaping of what comes from the learner's files, a missing runs.db, and
// the real CLI started with --port 0 and stopped with Ctrl-C.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { MartPaths, MineScope } from '@mart/shared';
import { spawnCli, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startUiServer, type UiServer } from '../src/serve/ui-server.ts';
import { RunStorage } from '../src/storage/index.ts';

const evil = '<script>alert(1)</script>';

async function get(server: UiServer, path: string): Promise<{ status: number; type: string; text: string }> {
  const response = await fetch(new URL(path, server.url));
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
}

async function getJson<T>(server: UiServer, path: string): Promise<T> {
  const response = await get(server, path);
  expect(response.status, response.text).toBe(200);
  expect(response.type).toContain('application/json');
  return JSON.parse(response.text) as T;
}

function uiServer(data: string): Promise<UiServer> {
  return startUiServer({ context: { mine: MineScope.none(), paths: new MartPaths({ data }), env: {} }, port: 0 });
}

describe('serve over a run storage with runs in it', () => {
  const data = tempDir('stage-06-serve');
  let server: UiServer;
  let done: string;
  let failed: string;

  beforeAll(async () => {
    const storage = RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
    try {
      const first = storage.createRun({ selection: 'lake/silver/fact_sales', assetKeys: ['lake/silver/fact_sales'] });
      storage.startRun(first.id);
      storage.stepStarted(first.id, 'lake/silver/fact_sales');
      storage.recordMaterialization({ runId: first.id, assetKey: 'lake/silver/fact_sales', rows: 42 });
      storage.stepSucceeded(first.id, 'lake/silver/fact_sales');
      storage.finishRun(first.id, 'SUCCESS');
      done = first.id;
      const second = storage.createRun({ selection: `key:${evil}`, assetKeys: [`dbt/${evil}`] });
      storage.startRun(second.id);
      storage.stepStarted(second.id, `dbt/${evil}`);
      storage.stepFailed(second.id, `dbt/${evil}`, { error: `bad model ${evil}` });
      storage.finishRun(second.id, 'FAILURE', `1 asset failed: ${evil}`);
      failed = second.id;
    } finally {
      storage.close();
    }
    mkdirSync(join(data.path, 'lineage'));
    const event = (job: string, input: string, output: string) =>
      JSON.stringify({
        eventType: 'COMPLETE',
        eventTime: '2026-12-02T10:00:00.000Z',
        run: { runId: '0193a5f0-0000-7000-8000-000000000001' },
        job: { namespace: 'mini-data-mart', name: job },
        inputs: [{ namespace: 'file', name: input }],
        outputs: [{ namespace: 'duckdb', name: output }],
      });
    writeFileSync(
      join(data.path, 'lineage', '2026-12-02.jsonl'),
      `${event('dbt/fct_sales', 'lake.silver.fact_sales', 'main.fct_sales')}\n${event(evil, '<img src=x onerror=alert(2)>', 'main.evil')}\n{cut short\n`,
    );
    server = await uiServer(data.path);
  });
  afterAll(async () => {
    await server?.close();
    data.remove();
  });

  test('/api/runs lists the runs, newest first, with their step counts', async () => {
    const answer = await getJson<{ storage: string; runs: { id: string; status: string; steps: object }[] }>(
      server,
      '/api/runs',
    );
    expect(answer.storage).toBe('ready');
    expect(answer.runs.map((run) => [run.id, run.status])).toEqual([
      [failed, 'FAILURE'],
      [done, 'SUCCESS'],
    ]);
    expect(answer.runs[1]?.steps).toEqual({ total: 1, done: 1, failed: 0, skipped: 0, running: 0 });
  });

  test('/api/events pages through every event by cursor; a run’s events and steps', async () => {
    const all = await getJson<{ events: { id: number; runId: string; type: string }[]; cursor: number }>(
      server,
      '/api/events?after=0',
    );
    const ids = all.events.map((event) => event.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(all.cursor).toBe(ids.at(-1));
    expect(all.events.filter((event) => event.runId === done).map((event) => event.type)).toEqual([
      'RUN_ENQUEUED',
      'RUN_START',
      'STEP_START',
      'ASSET_MATERIALIZATION',
      'STEP_SUCCESS',
      'RUN_SUCCESS',
    ]);
    const page = await getJson<{ events: unknown[]; more: boolean; cursor: number }>(
      server,
      '/api/events?after=0&limit=2',
    );
    expect([page.events.length, page.more, page.cursor]).toEqual([2, true, ids[1]]);
    const rest = await getJson<{ events: unknown[]; more: boolean }>(server, `/api/events?after=${all.cursor}`);
    expect([rest.events, rest.more]).toEqual([[], false]);
    expect((await get(server, '/api/events?after=soon')).status).toBe(400);

    const detail = await getJson<{
      run: { status: string };
      steps: { assetKey: string; status: string; rows: number }[];
    }>(server, `/api/runs/${done}`);
    expect(detail.run.status).toBe('SUCCESS');
    expect(detail.steps.map((step) => [step.assetKey, step.status, step.rows])).toEqual([
      ['lake/silver/fact_sales', 'SUCCESS', 42],
    ]);
    const own = await getJson<{ events: { message: string }[] }>(server, `/api/runs/${failed}/events`);
    expect(own.events.map((event) => event.message)).toContain(`bad model ${evil}`);
    const missing = await get(server, '/api/runs/no-such-run');
    expect([missing.status, JSON.parse(missing.text)]).toEqual([404, { error: 'No run has the id no-such-run.' }]);
  });

  test('/api/assets and the Assets page: the course graph by layer, with the last materialization', async () => {
    const { assets } = await getJson<{
      assets: {
        key: string;
        layer: string;
        status: string;
        deps: string[];
        column: number;
        lastMaterialization: { rows: number } | null;
      }[];
    }>(server, '/api/assets');
    const byKey = new Map(assets.map((asset) => [asset.key, asset]));
    expect(new Set(assets.map((asset) => asset.layer))).toEqual(new Set(['raw', 'bronze', 'silver', 'gold', 'dbt']));
    expect(byKey.get('lake/silver/fact_sales')?.lastMaterialization?.rows).toBe(42);
    expect(byKey.get('lake/silver/fact_sales')?.status).toBe('fresh');
    expect(byKey.get('lake/gold/revenue_by_month')?.status).toBe('missing');
    expect(byKey.get('raw/sales')?.status).toBe('external');
    // Every edge points right: a dependency sits in an earlier column.
    for (const asset of assets) {
      for (const dep of asset.deps) expect(byKey.get(dep)?.column ?? -1).toBeLessThan(asset.column);
    }
    const page = await get(server, '/');
    expect(page.type).toContain('text/html');
    expect(page.text).toContain('<svg class="graph"');
    expect(page.text).toMatch(/<tr id="asset-\d+" data-asset="lake\/silver\/fact_sales">/);
    expect(page.text).toContain(`href="/runs/${done}"`);
  });

  test('pages escape what comes from files and addresses; scripts only from /static/', async () => {
    const lineage = await get(server, '/lineage');
    expect(lineage.status).toBe(200);
    expect(lineage.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(lineage.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(lineage.text).not.toContain(evil);
    expect(lineage.text).not.toContain('<img');
    expect(lineage.text).toContain('2 OpenLineage events in 1 file');
    expect(lineage.text).toContain('1 unreadable lines skipped');
    const run = await get(server, `/runs/${encodeURIComponent(evil)}`);
    expect(run.text).toContain('data-run-id="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(run.text).not.toContain(evil);
    const response = await fetch(new URL('/runs', server.url));
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const json = await getJson<{ jobs: { name: string; inputs: { name: string }[] }[] }>(server, '/api/lineage');
    expect(json.jobs.map((job) => [job.name, job.inputs.map((input) => input.name)])).toEqual([
      [evil, ['<img src=x onerror=alert(2)>']],
      ['dbt/fct_sales', ['lake.silver.fact_sales']],
    ]);
    expect((await get(server, '/static/../ui-server.ts')).status).toBe(404);
    expect((await get(server, '/static/runs.js')).type).toContain('text/javascript');
  });

  test('read-only, and only for this machine’s names', async () => {
    const post = await fetch(new URL('/api/runs', server.url), { method: 'POST' });
    expect(post.status).toBe(405);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(new URL('/api/runs', server.url), { headers: { host: 'attacker.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });
});

test('with no runs.db the runs page says how to make one, and nothing is created', async () => {
  const data = tempDir('stage-06-serve-empty');
  const server = await uiServer(data.path);
  try {
    const runs = await getJson<{ storage: string; runs: unknown[] }>(server, '/api/runs');
    expect(runs).toMatchObject({ storage: 'missing', runs: [] });
    expect((await getJson<{ events: unknown[] }>(server, '/api/events?after=0')).events).toEqual([]);
    expect((await get(server, '/runs')).text).toContain('no runs yet: pnpm stage 6 materialize');
    expect((await get(server, '/lineage')).text).toContain('No lineage events yet');
    expect((await get(server, '/')).status).toBe(200);
    expect(existsSync(join(data.path, 'runs', 'runs.db'))).toBe(false);
  } finally {
    await server.close();
    data.remove();
  }
});

test('the real CLI: --port 0 prints the URL it listens on; Ctrl-C stops it with exit code 0', async () => {
  const data = tempDir('stage-06-serve-cli');
  const storage = RunStorage.open({ path: join(data.path, 'runs', 'runs.db') });
  const run = storage.createRun({ selection: '*', assetKeys: ['raw/sales'] });
  storage.close();
  const cli = spawnCli(['stage', '6', 'serve', '--port', '0'], { MART_DATA_DIR: data.path });
  try {
    await cli.waitFor(/http:\/\/127\.0\.0\.1:\d+\//);
    const url = cli.output().match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0] ?? '';
    expect(url).not.toMatch(/:0\/$/);
    const answer = (await (await fetch(`${url}api/runs`)).json()) as { runs: { id: string; status: string }[] };
    expect(answer.runs.map((listed) => [listed.id, listed.status])).toEqual([[run.id, 'QUEUED']]);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.output()).toContain('UI stopped.');
  } finally {
    cli.child.kill('SIGKILL');
    data.remove();
  }
});
