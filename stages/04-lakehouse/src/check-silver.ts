import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
import { type QualityRun, runQuality } from '@mart/stage-03-quality';

/**
 * Stage 3's checks over silver, on a read-only copy of it. The candidate silver lives in
 * the lake session, whose DuckDB also holds the catalog open for writing: a check's SQL
 * (`sql:` checks are any text the checks file holds) run there could delete rows that
 * are about to be committed, or catalog rows. So the tables are copied into a temporary
 * DuckDB file, opened READ_ONLY in a database of its own, with file access off and the
 * configuration locked: a check can read the tables and nothing else.
 *
 * @example
 * const quality = await checkSilver(session.db, silverTables, { warehouse: 'lake silver (candidate)', … });
 */
export async function checkSilver(
  db: Database,
  tables: readonly string[],
  options: Parameters<typeof runQuality>[1],
): Promise<QualityRun> {
  const dir = mkdtempSync(join(tmpdir(), 'mart-checks-'));
  const path = join(dir, 'silver.duckdb');
  try {
    await db.run(`attach ${quoteLiteral(path)} as __checks`);
    try {
      for (const table of tables) {
        await db.run(`create table __checks.${quoteIdentifier(table)} as select * from ${quoteIdentifier(table)}`);
      }
    } finally {
      await db.run('detach __checks');
    }
    const copy = await Database.open(path, { readOnly: true });
    try {
      await copy.run('set enable_external_access = false');
      await copy.run('set lock_configuration = true');
      return await runQuality(copy, options);
    } finally {
      copy.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
