import { join } from 'node:path';
import { runCliAsync, spawnCli, tempDir } from '@mart/shared/testing';
import { afterAll, describe, expect, test } from 'vitest';
import { catalogAlias, openLakeSession } from '../src/ducklake/lake-session.ts';

// Ctrl-C (SIGINT) or SIGTERM while a write command has uploaded files but not committed
// them: the command stops, rolls the catalog transaction back, deletes what it uploaded,
// says so and exits 130. Real signals to a real CLI process. MART_TEST_PAUSE_BEFORE_COMMIT
// (test-only) holds the command after its uploads, just before its commit, until a file
// appears, so the signal lands exactly there and not after the commit.
describe('a signal during a write command', () => {
  const data = tempDir('stage-04-interrupt');
  const env = { MART_DATA_DIR: data.path, MART_S3_ENDPOINT: '' };
  const stage4 = (...args: string[]) => runCliAsync(['stage', '4', ...args], env);
  const neverCreated = join(data.path, 'never-created');
  afterAll(() => data.remove());

  async function snapshotIds(): Promise<number[]> {
    const session = await openLakeSession(join(data.path, 'lake', 'catalog.duckdb'), { readOnly: true });
    try {
      const rows = await session.db.all<{ id: number }>(
        `select snapshot_id as id from ${catalogAlias}.ducklake_snapshot order by 1`,
      );
      return rows.map((row) => row.id);
    } finally {
      session.close();
    }
  }

  async function expectNothingToCollect(): Promise<void> {
    const gc = await stage4('lake', 'gc', '--dry-run');
    expect(gc.status, gc.stdout + gc.stderr).toBe(0);
    expect(gc.stdout).toContain('Would delete 0 unreferenced objects (0 bytes).');
  }

  test('SIGTERM during ingest, before its manifest: its objects deleted, exit 130', async () => {
    const ingest = spawnCli(['stage', '4', 'ingest'], { ...env, MART_TEST_PAUSE_BEFORE_COMMIT: neverCreated });
    await ingest.waitFor('MART_TEST_PAUSE_BEFORE_COMMIT');
    ingest.child.kill('SIGTERM');
    const { code } = await ingest.exited;
    expect({ code, stderr: ingest.stderr() }).toEqual({
      code: 130,
      stderr: expect.stringContaining('interrupted: nothing committed'),
    });
    expect(ingest.stderr()).toContain('Deleted the 132 objects this ingest had uploaded.');
    expect(ingest.stderr()).not.toContain('Unexpected error');
    const ls = await stage4('lake', 'ls', 'bronze/');
    expect(ls.stdout).toContain('0 objects, 0 bytes under s3://mart-lake/bronze/');
    await expectNothingToCollect();
  }, 120_000);

  test('SIGINT while build is committing: no snapshot, its uploads deleted, exit 130; the next build works', async () => {
    const ingest = await stage4('ingest');
    expect(ingest.status, ingest.stdout + ingest.stderr).toBe(0);
    expect(await snapshotIds()).toEqual([0]);

    const build = spawnCli(['stage', '4', 'build'], { ...env, MART_TEST_PAUSE_BEFORE_COMMIT: neverCreated });
    await build.waitFor('Committing silver and gold to the lake');
    // Uploaded and catalog rows written; the snapshot row not yet.
    await build.waitFor('MART_TEST_PAUSE_BEFORE_COMMIT');
    build.child.kill('SIGINT');
    const { code } = await build.exited;
    expect({ code, stderr: build.stderr() }).toEqual({
      code: 130,
      stderr: expect.stringContaining('interrupted: nothing committed'),
    });
    expect(build.stderr()).toContain(
      'Rolled back the catalog transaction and deleted the 9 objects this commit had uploaded.',
    );
    expect(build.stdout()).not.toMatch(/Snapshot \d+ committed/);
    expect(await snapshotIds()).toEqual([0]);
    const ls = await stage4('lake', 'ls', 'lake/');
    expect(ls.stdout).toContain('0 objects, 0 bytes under s3://mart-lake/lake/');
    await expectNothingToCollect();

    const again = await stage4('build');
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain('Snapshot 1 committed');
    expect(await snapshotIds()).toEqual([0, 1]);
  }, 180_000);
});
