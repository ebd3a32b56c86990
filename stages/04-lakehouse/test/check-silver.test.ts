import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database, MartPaths, MineScope } from '@mart/shared';
import { tempDir } from '@mart/shared/testing';
import { loadQualityPieces, type QualityPieces, readChecksFile, runQuality } from '@mart/stage-03-quality';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { checkSilver } from '../src/check-silver.ts';

// The build's gate runs stage 3's checks on a read-only copy of silver (src/check-silver.ts):
// whatever a check does — a `sql:` check, or a learner's check piece with --mine — it
// cannot change the rows about to be committed. Stage 3's runner separately refuses a
// `sql:` that is not one SELECT; a check piece is code, so only read-only access stops it.
describe('checks on silver', () => {
  const temp = tempDir('stage-04-check-silver');
  const paths = new MartPaths().withData(temp.path);
  let db: Database;
  let pieces: QualityPieces;
  let checksFile: ReturnType<typeof readChecksFile>;

  beforeAll(async () => {
    const reference = await loadQualityPieces(MineScope.none(), paths);
    // A check piece gone wrong: it deletes the rows it was asked to check, then checks.
    pieces = {
      ...reference,
      checkNotNull: async (check, ctx) => {
        await ctx.query('delete from fact_sales');
        return reference.checkNotNull(check, ctx);
      },
    };
    const file = join(temp.path, 'checks.yml');
    writeFileSync(file, 'tables:\n  fact_sales:\n    - check: not_null\n      column: sale_id\n');
    checksFile = readChecksFile(file);
  });
  beforeEach(async () => {
    db = await Database.open(':memory:');
    await db.run('create table fact_sales as select i::integer as sale_id from range(10) t(i)');
  });
  afterEach(() => db?.close());
  afterAll(() => temp.remove());

  const options = () => ({
    warehouse: 'lake silver (candidate)',
    checksFile,
    pieces,
    command: 'build' as const,
    paths,
  });
  const rows = () => db.value<number>('select count(*)::int from fact_sales');

  test('a check that deletes rows errors, and silver keeps every row', async () => {
    const run = await checkSilver(db, ['fact_sales'], options());
    expect(run.report.checks.map((check) => [check.outcome, check.message])).toEqual([
      ['error', expect.stringMatching(/read-only/i)],
    ]);
    expect(await rows()).toBe(10);
  });

  test('(why: the same check on the writable session, as the build ran it before, empties the table)', async () => {
    const run = await runQuality(db, options());
    expect(run.report.checks[0]?.outcome).toBe('pass');
    expect(await rows()).toBe(0);
  });
});
