import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, MartPaths } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CheckResult, SqlCheck } from '../src/given/index.ts';
import { errorResult } from '../src/given/index.ts';
import { createRunDir, sampleFileName, writeSamples } from '../src/report/write-report.ts';

const dir = tempDir('stage-03-samples');
let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
  await db.run('create table t (a integer); insert into t values (1), (2), (3)');
});
afterAll(() => {
  db.close();
  dir.remove();
});

/** A failed result of `check` whose failing rows are `sql`. */
function failed(name: string, sql: string): CheckResult {
  const check: SqlCheck = { type: 'sql', table: 't', name, sql };
  return { ...errorResult(check, ''), outcome: 'fail', failingRows: { sql } };
}

describe('failing-row samples', () => {
  test('samples/<table>.<check>.csv, as the README says', () => {
    expect(sampleFileName({ id: 'fact_sales.range(quantity)' })).toBe('samples/fact_sales.range-quantity.csv');
    expect(sampleFileName({ id: 'dim_customer.not_null(email)' })).toBe('samples/dim_customer.not_null-email.csv');
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain('`samples/<table>.<check>.csv`');
    expect(readme).toContain('`samples/fact_sales.range-quantity.csv`');
  });

  test('two checks whose names make one file name get two files', async () => {
    const { dir: runDir } = createRunDir(new MartPaths().withData(dir.path), new Date());
    const samples = await writeSamples(
      db,
      runDir,
      [failed('range(a)', 'select * from t where a > 1'), failed('range-a', 'select * from t where a > 2')],
      20,
    );
    expect([...samples.values()]).toEqual([
      { file: 'samples/t.range-a.csv', rows: 2 },
      { file: 'samples/t.range-a-2.csv', rows: 1 },
    ]);
  });
});
