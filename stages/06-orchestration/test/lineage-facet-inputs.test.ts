// What the lineage hook builds its facets from, beyond the emitter: raw files' CSV
// headers, the tables a model's SQL names, column lineage that never throws, and events
// stamped with the time they happened rather than the time they were emitted.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { assetLineageEvent } from '../../../solutions/06-orchestration/lineage-event.ts';
import type { RunEvent } from '../src/given/index.ts';
import {
  ColumnLineageSession,
  csvHeader,
  duckdbDataset,
  LineageEmitter,
  s3Dataset,
  sqlTableResolver,
} from '../src/lineage/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mart-lineage-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('csvHeader', () => {
  test('the header as written: a BOM dropped, quotes undone, spaces kept, CRLF or none', () => {
    expect(csvHeader(file('a.csv', '\uFEFFsale_id,line_number\n1,2\n'))).toEqual(['sale_id', 'line_number']);
    expect(csvHeader(file('b.csv', ' Product_ID ,"a, b","say ""hi"""\r\nx,y,z\r\n'))).toEqual([
      ' Product_ID ',
      'a, b',
      'say "hi"',
    ]);
    expect(csvHeader(file('c.csv', 'only,a,header'))).toEqual(['only', 'a', 'header']);
  });

  test('undefined for a missing file, an empty one, or no header line in the first 64 KB', () => {
    expect(csvHeader(join(dir, 'missing.csv'))).toBeUndefined();
    expect(csvHeader(file('empty.csv', ''))).toBeUndefined();
    expect(csvHeader(file('long.csv', `${'x'.repeat(70_000)}\n`))).toBeUndefined();
  });
});

describe('sqlTableResolver', () => {
  const warehouse = '/work/data/warehouse/stage-05.duckdb';
  const stgSales = {
    relation: { database: 'stage-05', schema: 'main', identifier: 'stg_sales' },
    dataset: duckdbDataset(warehouse, 'main', 'stg_sales'),
  };
  const bronzeSales = {
    relation: { database: 'lake', schema: 'bronze', identifier: 'sales' },
    dataset: s3Dataset('mart-lake', 'bronze/sales/'),
  };
  const resolve = sqlTableResolver([stgSales, bronzeSales]);

  test('by as much of the name as the SQL writes, case-insensitively', () => {
    expect(resolve({ catalog: 'stage-05', schema: 'main', table: 'stg_sales' })).toBe(stgSales);
    expect(resolve({ schema: 'MAIN', table: 'STG_SALES' })).toBe(stgSales);
    expect(resolve({ table: 'stg_sales' })).toBe(stgSales);
    expect(resolve({ catalog: 'lake', schema: 'bronze', table: 'sales' })).toBe(bronzeSales);
  });

  test('not a table the step does not read, nor one of two it could be', () => {
    expect(resolve({ schema: 'main', table: 'fct_sales' })).toBeUndefined();
    expect(resolve({ catalog: 'lake', schema: 'silver', table: 'sales' })).toBeUndefined();
    const twice = sqlTableResolver([stgSales, { ...stgSales, relation: { ...stgSales.relation, schema: 'staging' } }]);
    expect(twice({ table: 'stg_sales' })).toBeUndefined();
    expect(twice({ schema: 'staging', table: 'stg_sales' })?.relation.schema).toBe('staging');
  });
});

describe('ColumnLineageSession', () => {
  const options = {
    columnsOf: () => ['id', 'x'],
    datasetOf: () => ({ namespace: 'duckdb:///w.duckdb', name: 'main.t' }),
  };

  test('derives lineage for one model after another, on one in-memory database', async () => {
    const session = new ColumnLineageSession();
    try {
      const first = await session.derive({ ...options, sql: 'select id, sum(x) as total from t group by id' });
      expect(Object.keys(first.fields)).toEqual(['id', 'total']);
      const second = await session.derive({ ...options, sql: 'select x * 2 as double_x from t' });
      expect(second.fields.double_x?.[0]).toMatchObject({ field: 'x', transformation: 'TRANSFORMATION' });
    } finally {
      await session.close();
    }
  });

  test('SQL that does not parse, or a closed session: no fields and why, never a throw', async () => {
    const session = new ColumnLineageSession();
    const broken = await session.derive({ ...options, sql: 'selec id frm t' });
    expect(broken.fields).toEqual({});
    expect(broken.unsupported[0]).toMatch(/^DuckDB could not parse the SQL/);
    await session.close();
    expect(await session.derive({ ...options, sql: 'select id from t' })).toEqual({
      fields: {},
      unsupported: ['Column lineage failed: the session is closed'],
    });
  });
});

describe('LineageEmitter', () => {
  test('events emitted later carry the time they happened (`at`)', async () => {
    const lineageDir = join(dir, 'lineage');
    const emitter = new LineageEmitter({
      dir: lineageDir,
      assetEvent: assetLineageEvent,
      now: () => new Date('2026-12-02T10:00:09.000Z'),
    });
    const runId = '4f1d2c3b-5a69-4e78-9f01-23456789abcd';
    const step = { runId, assetKey: 'dbt/fct_sales', inputs: [], outputs: [] };
    emitter.runStarted(runId, new Date('2026-12-02T10:00:00.000Z'));
    emitter.assetStarted({ ...step, at: new Date('2026-12-02T10:00:01.000Z') });
    emitter.assetEnded({ ...step, status: 'SUCCESS', at: new Date('2026-12-02T10:00:02.000Z') });
    emitter.runEnded(runId, 'SUCCESS');
    await emitter.close();
    const events = readFileSync(join(lineageDir, '2026-12-02.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(events.map((event) => event.eventTime)).toEqual([
      '2026-12-02T10:00:00.000Z',
      '2026-12-02T10:00:01.000Z',
      '2026-12-02T10:00:02.000Z',
      '2026-12-02T10:00:09.000Z',
    ]);
  });
});
