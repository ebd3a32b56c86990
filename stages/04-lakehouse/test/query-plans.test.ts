import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CachedLakeFiles, cachedLakeFiles } from '../src/cached-lake-files.ts';
import { openLakeSession } from '../src/ducklake/lake-session.ts';
import type { SnapshotSelector } from '../src/ducklake/read/resolve-snapshot.ts';
import { queryLake } from '../src/query-lake.ts';
import { queryPlans } from '../src/query-plans.ts';
import {
  commitSnapshot,
  createTable,
  findTable,
  insertRows,
  requireTable,
  s3TestLake,
  type TestLake,
} from '../src/testing/index.ts';

// `stage 4 query` saves the views it made for a SQL text, and the same SQL on the same
// catalog runs on them without opening the catalog. A plan must never answer for
// another catalog state, another snapshot or a cache that lost its files: every case
// here checks the rows against what was committed, and whether the catalog was opened.

describe('saved query plans', () => {
  let lake: TestLake;
  let catalogPath: string;
  let plansDir: string;
  let files: CachedLakeFiles;
  /** How many times queryLake opened the lake: a plan that answers opens nothing. */
  let catalogOpens = 0;

  /** Commits the rows ids from..to into main.sales (creating it first). */
  const commitRows = async (from: number, to: number) => {
    const writer = await openLakeSession(catalogPath);
    try {
      await commitSnapshot(writer, async (tx) => {
        if (!(await findTable(tx.db, 'main', 'sales'))) {
          await createTable(tx, 'main', 'sales', [
            { name: 'id', type: 'INTEGER' },
            { name: 'amount', type: 'DECIMAL(10,2)' },
          ]);
        }
        const table = await requireTable(tx.db, 'main', 'sales');
        await insertRows(
          tx,
          lake.store,
          lake.pieces,
          table,
          `select i::integer as id, (i * 1.5)::decimal(10,2) as amount from range(${from}, ${to + 1}) t(i)`,
        );
      });
    } finally {
      writer.close();
    }
  };

  const run = (sql: string, at: SnapshotSelector = 'latest') =>
    queryLake({
      sql,
      at,
      openLake: async () => {
        catalogOpens += 1;
        return { files, pieces: lake.pieces, session: await openLakeSession(catalogPath, { readOnly: true }) };
      },
      plans: queryPlans({ dir: plansDir, catalogPath, urlPrefix: lake.store.urlPrefix }),
    });

  const total = 'select count(*)::integer as n, sum(amount)::varchar as amount from main.sales';

  beforeAll(async () => {
    lake = await s3TestLake();
    catalogPath = join(lake.dir, 'catalog.duckdb');
    plansDir = join(lake.dir, 'cache', '.plans');
    files = cachedLakeFiles(lake.store, join(lake.dir, 'cache'));
    // The test lake's own writer session would hold the catalog: each commit opens its own.
    lake.session.close();
    await commitRows(1, 100);
  });
  afterAll(async () => {
    await lake?.remove();
  });

  test('the same SQL again runs on the saved plan: same rows, the lake not opened', async () => {
    const opens = catalogOpens;
    const first = await run(total);
    expect(first).toMatchObject({ fromPlan: false, rows: [{ n: 100, amount: '7575.00' }] });
    expect(readdirSync(plansDir)).toHaveLength(1);
    const second = await run(total);
    expect(second).toMatchObject({ fromPlan: true, rows: [{ n: 100, amount: '7575.00' }] });
    expect(second.snapshot).toEqual(first.snapshot);
    expect(second.files).toEqual(first.files);
    expect(catalogOpens - opens).toBe(1);
  });

  test('after a commit the plan is made again, from the new snapshot, and older plans are deleted', async () => {
    await commitRows(101, 110);
    const after = await run(total);
    expect(after).toMatchObject({ fromPlan: false, rows: [{ n: 110, amount: '9157.50' }] });
    expect(readdirSync(plansDir)).toHaveLength(1);
    expect(await run(total)).toMatchObject({ fromPlan: true, rows: [{ n: 110 }] });
  });

  test('another SQL text or another snapshot has a plan of its own', async () => {
    const ids = 'select max(id) as top from main.sales';
    expect(await run(ids)).toMatchObject({ fromPlan: false, rows: [{ top: 110 }] });
    expect(await run(total, { id: 1 })).toMatchObject({ fromPlan: false, rows: [{ n: 100 }] });
    expect(await run(total, { id: 1 })).toMatchObject({ fromPlan: true, rows: [{ n: 100 }] });
    expect(await run(ids)).toMatchObject({ fromPlan: true, rows: [{ top: 110 }] });
    expect(await run(total)).toMatchObject({ fromPlan: true, rows: [{ n: 110 }] });
  });

  test('a plan whose cached files are gone is made again, and the files fetched again', async () => {
    rmSync(join(lake.dir, 'cache', 'mart-lake'), { recursive: true, force: true });
    const before = files.downloaded.bytes;
    expect(await run(total)).toMatchObject({ fromPlan: false, rows: [{ n: 110, amount: '9157.50' }] });
    expect(files.downloaded.bytes).toBeGreaterThan(before);
  });

  test('a damaged plan file is made again', async () => {
    for (const name of readdirSync(plansDir)) writeFileSync(join(plansDir, name), '{"format": 1, "views": [');
    expect(await run(total)).toMatchObject({ fromPlan: false, rows: [{ n: 110 }] });
    expect(await run(total)).toMatchObject({ fromPlan: true, rows: [{ n: 110 }] });
  });

  test('a plan is for one bucket: the same catalog configured with another bucket finds none', async () => {
    const plansFor = (urlPrefix: string) => queryPlans({ dir: plansDir, catalogPath, urlPrefix });
    expect(plansFor(lake.store.urlPrefix).lookup(total, JSON.stringify('latest')).plan).toBeDefined();
    expect(plansFor('s3://another-bucket/').lookup(total, JSON.stringify('latest')).plan).toBeUndefined();
  });

  test('SQL that names the catalog itself, and --as-of, are planned every time', async () => {
    const catalogSql = 'select count(*)::integer as snapshots from __lake.ducklake_snapshot';
    expect(await run(catalogSql)).toMatchObject({ fromPlan: false, rows: [{ snapshots: 3 }] });
    expect(await run(catalogSql)).toMatchObject({ fromPlan: false, rows: [{ snapshots: 3 }] });
    const asOf = { at: new Date(Date.now() + 60_000).toISOString() };
    expect(await run(total, asOf)).toMatchObject({ fromPlan: false, rows: [{ n: 110 }] });
    expect(await run(total, asOf)).toMatchObject({ fromPlan: false, rows: [{ n: 110 }] });
  });

  test('a failing query is not saved, and says which tables exist at the snapshot', async () => {
    const saved = readdirSync(plansDir).length;
    const typo = 'select nope from main.sales';
    for (let i = 0; i < 2; i++) {
      await expect(run(typo)).rejects.toMatchObject({
        message: expect.stringMatching(/^Your query failed: Binder Error: .*nope/),
        hint: 'Tables at snapshot 2: main.sales.',
      });
    }
    expect(readdirSync(plansDir)).toHaveLength(saved);
  });
});
