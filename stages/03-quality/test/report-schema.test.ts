import { readFileSync } from 'node:fs';
import { Database, MartPaths } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readChecksFile } from '../src/checks-file/read-checks-file.ts';
import { defaultChecksPath } from '../src/default-checks.ts';
import { summaryLine } from '../src/report/render-results.ts';
import { reportJsonSchema } from '../src/report/report-json-schema.ts';
import { runQuality } from '../src/run/run-quality.ts';
import { referenceQualityPieces } from '../src/testing/index.ts';

const committedPath = new URL('../report.schema.json', import.meta.url);

// report.json is a contract: the committed JSON Schema must match the code's, and real
// reports must validate against it with an independent validator (Ajv).
describe('report.json and its schema', () => {
  const data = tempDir('stage-03-report');
  let db: Database;
  beforeAll(async () => {
    db = await Database.open(':memory:');
  });
  afterAll(() => {
    db.close();
    data.remove();
  });

  test('report.schema.json is the schema the code writes (regenerate it when the report changes)', () => {
    expect(JSON.parse(readFileSync(committedPath, 'utf8'))).toEqual(reportJsonSchema());
  });

  test('a report with every outcome validates; a tampered one does not', async () => {
    // The default checks on a one-table warehouse: pass, warn, fail and error all appear.
    await db.run(`create table fact_sales (sale_id varchar, line_number integer, quantity integer);
      insert into fact_sales values ('T1', 1, 5), ('T1', 1, 500), (null, 2, 1);
      create table rejected_rows as select 1 as line`);
    const checksFile = readChecksFile(defaultChecksPath);
    const run = await runQuality(db, {
      warehouse: ':memory:',
      checksFile,
      pieces: await referenceQualityPieces(),
      command: 'quality',
      paths: new MartPaths({ data: data.path }),
    });
    expect(run.report.summary).toEqual({ total: 24, pass: 1, warn: 1, fail: 3, error: 19 });
    expect(summaryLine(run.report)).toBe('24 checks: 1 pass, 1 warn, 3 fail, 19 error');
    const one = { ...run.report, summary: { total: 1, pass: 1, warn: 0, fail: 0, error: 0 } };
    expect(summaryLine(one)).toBe('1 check: 1 pass, 0 warn, 0 fail, 0 error');

    const ajv = new Ajv2020({ allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(committedPath, 'utf8')));
    const written = JSON.parse(readFileSync(`${run.dir}/report.json`, 'utf8'));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);

    expect(validate({ ...written, outcome: 'meh' })).toBe(false);
    expect(validate({ ...written, checks: [{ ...written.checks[0], value: '3' }] })).toBe(false);
    const { summary: _summary, ...withoutSummary } = written;
    expect(validate(withoutSummary)).toBe(false);
  });
});
