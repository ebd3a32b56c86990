import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { learnerCourse, runCli, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type QualityReport, reportSchema } from '../src/report/report-schema.ts';

// `pnpm stage 3 quality` as a learner runs it, on the warehouse built from the seeds.
describe('pnpm stage 3 quality', () => {
  const data = tempDir('stage-03-quality');
  const env = { MART_DATA_DIR: data.path };
  const runs = () => (existsSync(join(data.path, 'quality')) ? readdirSync(join(data.path, 'quality')).sort() : []);
  const newestReport = (): QualityReport => {
    const runId = runs().at(-1) ?? '';
    return reportSchema.parse(JSON.parse(readFileSync(join(data.path, 'quality', runId, 'report.json'), 'utf8')));
  };

  beforeAll(() => {
    const run = runCli(['stage', '3', 'build'], env);
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
  afterAll(() => data.remove());

  test('before any build: a clear message, exit 1', () => {
    const empty = tempDir('stage-03-empty');
    const run = runCli(['stage', '3', 'quality'], { MART_DATA_DIR: empty.path });
    empty.remove();
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Stage 3 has no warehouse yet/);
  });

  test('on the seeds: exit 1 (warn), a results table, and a report folder', () => {
    const before = runs().length;
    const run = runCli(['stage', '3', 'quality'], env);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/│ check\s+│ table\s+│ metric\s+│ threshold\s+│ outcome │/);
    expect(run.stdout).toMatch(/│ rejected_on_load\s+│ rejected_rows │ row_count 11\s+│ warn if > 0\s+│ ! warn\s+│/);
    expect(run.stdout).toMatch(/24 checks: 22 pass, 2 warn, 0 fail, 0 error/);
    expect(runs()).toHaveLength(before + 1);

    const report = newestReport(); // parse() validates it against the report schema
    expect(report).toMatchObject({
      command: 'quality',
      outcome: 'warn',
      exit_code: 1,
      published: null,
      reference_time: '2024-12-31T00:00:00.000Z',
      warehouse: join(data.path, 'warehouse', 'stage-03.duckdb'),
      checks_file: 'stages/03-quality/checks.yml',
      summary: { total: 24, pass: 22, warn: 2, fail: 0, error: 0 },
    });
    const warned = report.checks.filter((check) => check.outcome === 'warn');
    expect(warned.map((check) => [check.id, check.value, check.sample_rows])).toEqual([
      ['fact_sales.sold_above_list_price', 2, 2],
      ['rejected_rows.rejected_on_load', 11, null],
    ]);

    const dir = join(data.path, 'quality', report.run_id);
    const csv = readFileSync(join(dir, 'report.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run_id,table,name,type,metric,value,percent,threshold,outcome,message,sample_file');
    expect(csv).toHaveLength(25);
    const sample = readFileSync(join(dir, 'samples', 'fact_sales.sold_above_list_price.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(sample[0]).toBe(
      'sale_id,line_number,date_key,customer_key,product_key,store_key,quantity,unit_price,amount,list_price',
    );
    expect(sample.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      'T00000029,4',
      'T00000040,1',
    ]);
  });

  test('--select keeps one table, one check or one type', () => {
    const table = runCli(['stage', '3', 'quality', '--select', 'dim_customer'], env);
    expect(table.status).toBe(0);
    expect(newestReport().checks.map((check) => check.id)).toEqual([
      'dim_customer.row_count',
      'dim_customer.unique(customer_id)',
      'dim_customer.not_null(name)',
      'dim_customer.not_null(email)',
      'dim_customer.accepted_values(segment)',
    ]);
    expect(newestReport().select).toBe('dim_customer');

    const some = runCli(['stage', '3', 'quality', '--select', 'relationships,fact_sales.schema'], env);
    expect(some.status).toBe(0);
    expect(newestReport().summary.total).toBe(5);

    const none = runCli(['stage', '3', 'quality', '--select', 'dim_custmer'], env);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/--select dim_custmer matches no check/);
    expect(none.stderr).toMatch(/dim_customer, dim_product, dim_store, fact_sales, rejected_rows/);
  });

  test('--now moves the reference time: freshness fails, exit 2', () => {
    const run = runCli(['stage', '3', 'quality', '--select', 'latest_sale', '--now', '2025-03-01'], env);
    expect(run.status).toBe(2);
    const [check] = newestReport().checks;
    expect(check).toMatchObject({ outcome: 'fail', metric: 'age_hours', value: 64 * 24 });
    expect(runCli(['stage', '3', 'quality', '--now', 'soon'], env).status).toBe(2);
  });

  test('a check naming an unknown column: exit 3, the report says which', () => {
    const checks = join(data.path, 'typo.yml');
    writeFileSync(
      checks,
      'tables:\n  dim_customer:\n    - check: not_null\n      column: emial\n    - check: unique\n      columns: [customer_id]\n',
    );
    const run = runCli(['stage', '3', 'quality', '--checks', checks], env);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/error dim_customer\.not_null\(emial\): unknown column emial in dim_customer/);
    expect(newestReport().summary).toEqual({ total: 2, pass: 1, warn: 0, fail: 0, error: 1 });
  });

  test('a malformed checks file: exit 3 naming the line, no report', () => {
    const checks = join(data.path, 'broken.yml');
    writeFileSync(
      checks,
      'tables:\n  dim_customer:\n    - check: not_null\n      column: email\n      severity: high\n',
    );
    const before = runs().length;
    const run = runCli(['stage', '3', 'quality', '--checks', checks], env);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(
      /broken\.yml line 5, column 7: tables\.dim_customer, check 1 \(not_null\): unknown key "severity"/,
    );
    expect(runs()).toHaveLength(before);
  });

  test('--history lists the runs, newest first, with their counts', () => {
    // At least the build's run and two more, whichever tests ran before.
    for (let i = 0; i < 2; i++) expect(runCli(['stage', '3', 'quality', '--select', 'dim_store'], env).status).toBe(0);
    const run = runCli(['stage', '3', 'quality', '--history'], env);
    expect(run.status).toBe(0);
    const rows = run.stdout.split('\n').filter((line) => /│ \d{4}-\d\d-\d\dT/.test(line));
    expect(rows.length).toBe(runs().length);
    expect(rows.at(-1)).toMatch(
      /│ build\s+│ .*stage-03\.candidate\.duckdb\s+│\s+22 │\s+2 │\s+0 │\s+0 │ warn\s+│ yes\s+│/,
    );
    expect(rows[0]).toContain(runs().at(-1));

    const limited = runCli(['stage', '3', 'quality', '--history', '--limit', '2'], env);
    const runIdOf = (line: string) => /│ (\d{4}-\d\d-\d\dT\S+)/.exec(line)?.[1];
    const limitedRows = limited.stdout.split('\n').filter((line) => /│ \d{4}-\d\d-\d\dT/.test(line));
    expect(limitedRows.map(runIdOf)).toEqual(runs().reverse().slice(0, 2));
    expect(limited.stdout).toContain(`${runs().length - 2} older runs not shown`);
  });
});

// --mine from a learner's own copy of the course who starts at stage 3.
describe('stage 3 --mine', () => {
  const data = tempDir('stage-03-mine');
  const course = learnerCourse();
  const env = { MART_DATA_DIR: data.path, MART_REPO_ROOT: course.root };
  afterAll(() => {
    course.remove();
    data.remove();
  });

  test("build --mine for a learner starting at stage 3 stops at stage 3's first exercise, not stage 2's", () => {
    const run = runCli(['stage', '3', 'build', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Exercise 03-quality\/[a-z-]+ is not implemented yet/);
    expect(run.stderr).toContain('Pieces: yours for stage 3 (exercises/03-quality/); the reference for stages 1, 2.');
  });

  test('solved: build and quality --mine check with the learner’s pieces, and the report says so', () => {
    course.solveStage('03-quality');
    const build = runCli(['stage', '3', 'build', '--mine'], env);
    expect(build.status, build.stderr).toBe(0);
    const run = runCli(['stage', '3', 'quality', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/24 checks: 22 pass, 2 warn, 0 fail, 0 error/);
    const id = /quality\/([^/\s]+)\/report\.json/.exec(run.stdout)?.[1] ?? '';
    const report = JSON.parse(readFileSync(join(data.path, 'quality', id, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ mine: true, summary: { total: 24, pass: 22, warn: 2 } });
  });

  test("a bug in the learner's unique check: its result is an error naming the exercise, the run goes on", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text of a source file, not a template
    course.plant('03-quality/unique', 'count(distinct (${key}))', 'count(distinct (${key}, nope))');
    const run = runCli(['stage', '3', 'quality', '--mine'], env);
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/error\s+\S+unique\S*: Your exercise 03-quality\/unique failed: .*nope/);
  });
});
