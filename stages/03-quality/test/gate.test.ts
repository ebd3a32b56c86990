import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MartPaths } from '@mart/shared';
import { runCli, tempDir } from '@mart/shared/testing';
import { type InputDir, seedInputDir } from '@mart/stage-02-csv-loads/testing';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { reportSchema } from '../src/report/report-schema.ts';

// The publishing gate: `pnpm stage 3 build` loads into a candidate, checks it, and
// replaces the published warehouse only when no check fails or errors.
describe('pnpm stage 3 build: the gate', () => {
  const data = tempDir('stage-03-gate');
  const env = { MART_DATA_DIR: data.path };
  const published = join(data.path, 'warehouse', 'stage-03.duckdb');
  const candidate = join(data.path, 'warehouse', 'stage-03.candidate.duckdb');
  const fingerprint = () => createHash('sha256').update(readFileSync(published)).digest('hex');
  const rejectsDir = join(data.path, 'rejects', 'stage-03');
  /** The reject files, name → text: they describe the published warehouse. */
  const rejectFiles = () =>
    Object.fromEntries(readdirSync(rejectsDir).map((name) => [name, readFileSync(join(rejectsDir, name), 'utf8')]));
  const reportOf = (output: string) => {
    const runId = /data\/quality\/([^/\s]+)\/report\.json|quality\/([^/\s]+)\/report\.json/.exec(output);
    const id = runId?.[1] ?? runId?.[2] ?? '';
    return reportSchema.parse(JSON.parse(readFileSync(join(data.path, 'quality', id, 'report.json'), 'utf8')));
  };
  let input: InputDir | undefined;
  let before = '';
  let rejectsBefore: Record<string, string> = {};

  beforeAll(() => {
    const run = runCli(['stage', '3', 'build'], env);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/24 checks: 22 pass, 2 warn, 0 fail, 0 error/);
    expect(run.stdout).toMatch(/Published .*stage-03\.duckdb/);
    expect(reportOf(run.stdout)).toMatchObject({ command: 'build', published: true, outcome: 'warn' });
    expect(existsSync(candidate)).toBe(false);
    before = fingerprint();
    rejectsBefore = rejectFiles();
    expect(Object.keys(rejectsBefore).sort()).toEqual(['customers.csv', 'products.csv', 'sales.csv']);
  });
  afterEach(() => input?.remove());
  afterAll(() => data.remove());

  /** The seeds with one line of one file changed. */
  function seedsWith(file: string, from: string, to: string): InputDir {
    const original = readFileSync(join(new MartPaths().seeds(2), file), 'utf8');
    expect(original).toContain(from);
    return seedInputDir({ [file]: original.replace(from, to) });
  }

  test('a fail-level check blocks publishing: exit 2, the published warehouse unchanged', () => {
    // A segment nobody reports on and a quantity of 500 both load (stage 2 only checks
    // types and rules per value); stage 3's accepted_values and range checks catch them.
    input = seedsWith('customers.csv', 'UK,Small Business,', 'UK,Enterprize,');
    // …and the rejected 'two' fixed: the candidate has other rejects than the published warehouse.
    const sales = readFileSync(join(input.path, 'sales.csv'), 'utf8')
      .replace(',S005,2,69.56', ',S005,500,69.56')
      .replace(',two,', ',2,');
    writeFileSync(join(input.path, 'sales.csv'), sales);

    const run = runCli(['stage', '3', 'build', '--input', input.path], env);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/Blocked: the candidate was NOT published/);
    expect(run.stdout).toMatch(/fail\s+dim_customer\.accepted_values\(segment\): 1 row with a segment not in/);
    expect(run.stdout).toMatch(/fail\s+fact_sales\.range\(quantity\): 1 row with quantity outside \[1, 100\]/);
    expect(fingerprint()).toBe(before);
    expect(rejectFiles()).toEqual(rejectsBefore); // a blocked build leaves the published rejects alone
    expect(existsSync(candidate)).toBe(true);

    const report = reportOf(run.stdout);
    expect(report).toMatchObject({ command: 'build', published: false, outcome: 'fail', exit_code: 2 });
    expect(report.checks.filter((check) => check.outcome === 'fail').map((check) => check.id)).toEqual([
      'dim_customer.accepted_values(segment)',
      'fact_sales.range(quantity)',
    ]);
    const sample = readFileSync(
      join(data.path, 'quality', report.run_id, 'samples', 'fact_sales.range-quantity.csv'),
      'utf8',
    );
    expect(sample.trim().split('\n')).toHaveLength(2); // header + the one row
    expect(sample).toContain(',500,');

    // The blocked candidate can be inspected with the same checks.
    const check = runCli(['stage', '3', 'quality', '--warehouse', candidate], env);
    expect(check.status).toBe(2);
  });

  test('a check that cannot run also blocks: exit 3', () => {
    const checks = join(data.path, 'typo.yml');
    writeFileSync(checks, 'tables:\n  fact_sales:\n    - check: not_null\n      column: customer\n');
    const run = runCli(['stage', '3', 'build', '--checks', checks], env);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/error fact_sales\.not_null\(customer\): unknown column customer in fact_sales/);
    expect(fingerprint()).toBe(before);
  });

  test('a broken checks file or input file stops before anything is built', () => {
    const checks = join(data.path, 'broken.yml');
    writeFileSync(checks, 'tables: [\n');
    const yaml = runCli(['stage', '3', 'build', '--checks', checks], env);
    expect(yaml.status).toBe(3);
    expect(yaml.stderr).toMatch(/broken\.yml line \d+, column \d+: not valid YAML/);

    input = seedInputDir({ 'stores.csv': null });
    const missing = runCli(['stage', '3', 'build', '--input', input.path], env);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/stores\.csv: file not found/);
    expect(fingerprint()).toBe(before);
  });

  test('fixed inputs publish again and the candidate is gone', () => {
    input = seedsWith('sales.csv', ',S005,2,69.56', ',S005,3,69.56');
    const run = runCli(['stage', '3', 'build', '--input', input.path], env);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(fingerprint()).not.toBe(before);
    expect(existsSync(candidate)).toBe(false);
    expect(reportOf(run.stdout).published).toBe(true);
    expect(rejectFiles()).toEqual(rejectsBefore); // the same rejects, rewritten for the new warehouse
  });

  test('a published build with fewer rejects rewrites the reject files to match it', () => {
    input = seedsWith('sales.csv', ',two,', ',2,');
    const run = runCli(['stage', '3', 'build', '--input', input.path], env);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const after = rejectFiles();
    expect(after['sales.csv']?.split('\n').length).toBe((rejectsBefore['sales.csv']?.split('\n').length ?? 0) - 1);
    expect(after['sales.csv']).not.toContain("'two'");
  });
});
