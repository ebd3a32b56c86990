import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '@mart/shared/testing';
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

  test('--mine runs the learner’s pieces: an unfinished one explains itself, no stack trace', () => {
    const run = runCli(['stage', '2', 'build', '--mine'], env);
    // Untouched exercises stop the build with the exercise's hint; once a learner has
    // written them all, the same command builds with their code.
    if (run.status === 0) {
      expect(run.stdout).toContain('with your pieces');
    } else {
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/Exercise 0[12]-[a-z-]+\/[a-z-]+ is not implemented yet/);
      expect(run.stderr).toContain('Hint:');
      // The first piece the loader calls, with its hint from exercises/info.yaml.
      if (run.stderr.includes('02-csv-loads/check-header')) expect(run.stderr).toMatch(/trim\(\)\.toLowerCase\(\)/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
