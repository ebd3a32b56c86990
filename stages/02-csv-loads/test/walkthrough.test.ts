import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { learnerCourse, runCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { seedInputDir } from '../src/testing/index.ts';

// The README's walk-through, run for real through the CLI: build, look, edit a CSV,
// rebuild, see the change. And the generator feeding the build.
describe('stage 2 walk-through (README)', () => {
  const data = tempDir('stage-02-walk');
  const env = { MART_DATA_DIR: data.path };
  const input = seedInputDir();
  afterAll(() => {
    data.remove();
    input.remove();
  });

  const storeRevenue = (store: string) => {
    const run = runCli(['stage', '2', 'explore', '--query', 'store-performance', '--format', 'json'], env);
    expect(run.status, run.stderr).toBe(0);
    const rows = JSON.parse(run.stdout) as Array<{ store_id: string; revenue: number; units: number }>;
    return rows.find((row) => row.store_id === store);
  };

  test('build, edit sales.csv, rebuild: the reject is gone and the mart shows the new numbers', () => {
    const first = runCli(['stage', '2', 'build', '--input', input.path], env);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/sales\.csv\s*│\s*411\s*│\s*403\s*│\s*8\s*│/);
    expect(readFileSync(join(data.path, 'rejects', 'stage-02', 'sales.csv'), 'utf8')).toContain(
      "41,value,quantity: 'two' is not a whole number,",
    );
    expect(storeRevenue('S006')).toMatchObject({ revenue: 239, units: 3 });

    // Fix line 41 ("two" → 2) and sell 3 more units in store S006.
    const path = join(input.path, 'sales.csv');
    const fixed = readFileSync(path, 'utf8')
      .replace('S002,two,35.00', 'S002,2,35.00')
      .replace(
        'T00000907,2,2024-11-28,C900001,P00004,S006,2,45.00',
        'T00000907,2,2024-11-28,C900001,P00004,S006,5,45.00',
      );
    writeFileSync(path, fixed);

    const second = runCli(['stage', '2', 'build', '--input', input.path], env);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/sales\.csv\s*│\s*411\s*│\s*404\s*│\s*7\s*│/);
    expect(readFileSync(join(data.path, 'rejects', 'stage-02', 'sales.csv'), 'utf8')).not.toContain("'two'");
    expect(storeRevenue('S006')).toMatchObject({ revenue: 374, units: 6 });
  });

  test('generate --rows 5000 writes the files, and build --input loads every row', () => {
    const out = join(data.path, 'generated-5k');
    const generated = runCli(['stage', '2', 'generate', '--rows', '5000', '--seed', '3', '--out', out], env);
    expect(generated.status, generated.stderr).toBe(0);
    const built = runCli(['stage', '2', 'build', '--input', out], env);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/sales\.csv\s*│\s*5,000\s*│\s*5,000\s*│\s*0\s*│/);
    const inspect = runCli(['stage', '2', 'inspect', '--format', 'json'], env);
    const tables = JSON.parse(inspect.stdout) as Array<{ name: string; rows: number }>;
    expect(tables.find((table) => table.name === 'fact_sales')?.rows).toBe(5_000);
    expect(tables.find((table) => table.name === 'rejected_rows')?.rows).toBe(0);
  });
});

// --mine from a learner's own copy of the course who starts at stage 2 (stage 1 untouched).
describe('stage 2 --mine', () => {
  const data = tempDir('stage-02-mine');
  const course = learnerCourse();
  const env = { MART_DATA_DIR: data.path, MART_REPO_ROOT: course.root };
  afterAll(() => {
    course.remove();
    data.remove();
  });

  test("--mine means this stage's pieces: stage 2's first exercise, not stage 1's", () => {
    const run = runCli(['stage', '2', 'build', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Exercise 02-csv-loads/check-header is not implemented yet.');
    expect(run.stderr).toContain('Pieces: yours for stage 2 (exercises/02-csv-loads/); the reference for stage 1.');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('with stage 2 solved, build --mine loads the seeds with the learner’s pieces; --mine=all wants stage 1 too', () => {
    course.solveStage('02-csv-loads');
    const run = runCli(['stage', '2', 'build', '--mine'], env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/sales\.csv\s*│\s*411\s*│\s*403\s*│\s*8\s*│/);
    const all = runCli(['stage', '2', 'build', '--mine=all'], env);
    expect(all.status).toBe(1);
    expect(all.stderr).toMatch(/Exercise 01-star-schema\/[a-z-]+ is not implemented yet/);
  });

  test("explore --mine in stage 2 says it runs stage 1's reference queries", () => {
    const run = runCli(['stage', '2', 'explore', '--query', 'top-customers', '--format', 'json', '--mine'], env);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(5);
    expect(run.stderr).toContain('Pieces: the reference for stage 1.');
  });

  test("a bug in the learner's find-orphans SQL names the exercise, the line and the statement", () => {
    course.plant('02-csv-loads/find-orphans', 'not exists (', 'not exist (');
    const run = runCli(['stage', '2', 'build', '--mine'], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/✖ Your exercise 02-csv-loads\/find-orphans failed: .*Parser Error/);
    expect(run.stderr).toMatch(/at exercises\/02-csv-loads\/find-orphans\.ts:\d+:\d+/);
    expect(run.stderr).toContain('not exist (');
  });
});
