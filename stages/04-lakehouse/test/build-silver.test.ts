import { generateDataset, MartPaths, MineScope } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { referenceStarPieces } from '@mart/stage-01-star-schema/testing';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readBronze } from '../src/bronze/read-bronze.ts';
import { buildSilver } from '../src/silver/build-silver.ts';
import { ingestFiles, localTestLake, type TestLake } from '../src/testing/index.ts';

// Silver from several ingests: one version of each record (the latest ingest wins) and
// the rejects of the latest ingest only.
const paths = new MartPaths();
/** Ingest with the reference pieces. */
const reference = { mine: MineScope.none(), paths };

describe('silver from bronze', () => {
  let lake: TestLake;
  const generated = tempDir('stage-04-generated');
  beforeEach(async () => {
    lake = await localTestLake();
  });
  afterEach(async () => lake.remove());
  afterAll(() => generated.remove());

  test('a later clean ingest replaces records and leaves no rejects', async () => {
    const seeds = await ingestFiles(lake, paths.seeds(2), reference, { maxRejectRate: 0.1 });
    expect(seeds.load.rejects).toHaveLength(11);
    // The generator's data is clean, and its first sale ids are the seeds' ids too.
    generateDataset({ rows: 500, seed: 42, outDir: generated.path });
    const clean = await ingestFiles(lake, generated.path, reference, { maxRejectRate: 0.1 });
    expect(clean.load.rejects).toHaveLength(0);

    const bronze = await readBronze(lake.store, lake.fetch);
    expect(bronze.ingests).toEqual([seeds.ingestId, clean.ingestId].sort());
    await buildSilver(lake.session.db, bronze.files, bronze.ingests.at(-1) ?? '', await referenceStarPieces());
    const db = lake.session.db;
    expect(await db.value<number>('select count(*)::int from rejected_rows')).toBe(0);

    // Every (sale_id, line_number) once; the generated ingest's version where both have it.
    const facts = await db.value<number>('select count(*)::int from fact_sales');
    const keys = await db.value<number>('select count(distinct (sale_id, line_number))::int from fact_sales');
    expect(facts).toBe(keys);
    const loaded = (ingest: typeof seeds) => ingest.load.files.find((file) => file.file === 'sales.csv')?.loaded ?? 0;
    expect(facts).toBeGreaterThanOrEqual(Math.max(loaded(seeds), loaded(clean)));
    expect(facts).toBeLessThan(loaded(seeds) + loaded(clean));
  });

  test('the seeds alone: their 11 rejects, the 403 loaded sale lines', async () => {
    const seeds = await ingestFiles(lake, paths.seeds(2), reference, { maxRejectRate: 0.1 });
    const bronze = await readBronze(lake.store, lake.fetch);
    await buildSilver(lake.session.db, bronze.files, seeds.ingestId, await referenceStarPieces());
    expect(await lake.session.db.value<number>('select count(*)::int from rejected_rows')).toBe(11);
    expect(await lake.session.db.value<number>('select count(*)::int from fact_sales')).toBe(403);
  });
});
