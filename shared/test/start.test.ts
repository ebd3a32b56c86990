import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../src/testing/run-cli.ts';
import { tempDir } from '../src/testing/temp-dir.ts';

describe('pnpm start', () => {
  const data = tempDir('start');
  afterAll(() => data.remove());

  test('one stage failing does not hide the others: every stage is tried, the summary printed, exit 1', () => {
    // A file where stage 4's lake folder should be: stage 4 fails, and stages 5 and 6,
    // which read that lake, are skipped rather than run into a second error.
    writeFileSync(join(data.path, 'lake'), 'not a folder');
    const run = runCli(['start'], { MART_DATA_DIR: data.path });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/1 star-schema\s*│ built/);
    expect(run.stdout).toMatch(/2 csv-loads\s*│ built/);
    expect(run.stdout).toMatch(/3 quality\s*│ built/);
    expect(run.stdout).toMatch(/4 lakehouse\s*│ failed \(exit 1\)/);
    expect(run.stdout).toMatch(/5 incremental\s*│ skipped \(reads stage 4\)/);
    expect(run.stdout).toMatch(/6 orchestration\s*│ skipped \(reads stage 4\)/);
    expect(run.stdout).toContain('1 stage failed and 2 were skipped');
    expect(run.stderr).toContain('lake');
  });
});
