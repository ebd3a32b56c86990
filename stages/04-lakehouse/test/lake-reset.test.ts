import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedCredentials, openLakeStorage } from '@mart/shared';
import { captureIo, fakeTerminal, invoke, runCliAsync, tempDir } from '@mart/shared/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { build } from '../src/commands/build.ts';
import { ingest } from '../src/commands/ingest.ts';
import { lake } from '../src/commands/lake.ts';
import { openLakeSession } from '../src/ducklake/lake-session.ts';
import { referenceLakePieces } from '../src/testing/index.ts';

// `pnpm stage 4 lake reset`: start over. It asks first (--yes skips the question), then
// deletes the catalog, the bucket's objects under lake/ and bronze/, the download cache
// and the serving copy; it refuses while another process holds the catalog.
describe('lake reset', () => {
  const data = tempDir('stage-04-reset');
  const env = { MART_S3_ENDPOINT: '' };
  const catalog = join(data.path, 'lake', 'catalog.duckdb');
  const run = (command: Parameters<typeof invoke>[0], args: string[], io = captureIo().io) =>
    invoke(command, args, { data: data.path, stage: 4, env, io });
  afterAll(() => data.remove());

  /** What a reset removes: is each there, and how many objects the bucket holds under the lake's prefixes. */
  async function state() {
    const storage = await openLakeStorage(
      { ...embeddedCredentials, region: 'us-east-1', bucket: 'mart-lake', embedded: true },
      { directory: join(data.path, 'lake', 's3') },
    );
    try {
      const { listKeys } = await referenceLakePieces();
      const objects = async (prefix: string) => (await listKeys(storage.client, storage.bucket, prefix)).length;
      return {
        catalog: existsSync(catalog),
        cache: existsSync(join(data.path, 'lake', 'cache')),
        serving: existsSync(join(data.path, 'warehouse', 'stage-04.duckdb')),
        lakeObjects: await objects('lake/'),
        bronzeObjects: await objects('bronze/'),
      };
    } finally {
      await storage.close();
    }
  }

  beforeAll(async () => {
    expect(await run(ingest, [])).toBe(0);
    expect(await run(build, [])).toBe(0);
  }, 120_000);

  test('it asks first: answering no deletes nothing', async () => {
    const before = await state();
    expect(before).toEqual({ catalog: true, cache: true, serving: true, lakeObjects: 9, bronzeObjects: 133 });
    const term = fakeTerminal();
    const done = run(lake, ['reset'], term.io);
    await term.waitFor('Yes / ● No');
    expect(term.screen()).toContain('142 objects');
    await term.press('enter'); // the default answer is No
    expect(await done).toBe(0);
    expect(term.screen()).toContain('Nothing deleted.');
    expect(await state()).toEqual(before);
  });

  test('refused while another process holds the catalog', async () => {
    const before = await state();
    const holder = await openLakeSession(catalog);
    let result: Awaited<ReturnType<typeof runCliAsync>>;
    try {
      result = await runCliAsync(['stage', '4', 'lake', 'reset', '--yes'], { MART_DATA_DIR: data.path, ...env });
    } finally {
      holder.close();
    }
    expect(result.status, result.stdout + result.stderr).toBe(1);
    expect(result.stderr).toContain(`is in use by another command (process ${process.pid}).`);
    expect(await state()).toEqual(before);
  });

  test('--yes deletes the catalog, the objects, the cache and the serving copy; the next build starts over', async () => {
    const out = captureIo();
    expect(await run(lake, ['reset', '--yes'], out.io)).toBe(0);
    expect(out.text()).toContain('Deleted 142 objects');
    expect(await state()).toEqual({ catalog: false, cache: false, serving: false, lakeObjects: 0, bronzeObjects: 0 });

    const again = captureIo();
    expect(await run(build, [], again.io)).toBe(0);
    expect(again.text()).toContain('Snapshot 1 committed');
  }, 120_000);
});
