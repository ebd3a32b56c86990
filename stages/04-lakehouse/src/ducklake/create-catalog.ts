import { randomUUID } from 'node:crypto';
import { catalogDdl } from './catalog-ddl.ts';
import { catalogAlias, type LakeSession } from './lake-session.ts';

/**
 * Fills an empty attached catalog: the DuckLake 1.0 tables, its metadata (format
 * version '1.0', where data files live, no inlining), snapshot 0 and the `main` schema —
 * the same starting point the official extension writes.
 *
 * @example
 * await createCatalog(session, { dataPath: 's3://mart-lake/lake/' });
 */
export async function createCatalog(session: LakeSession, options: { dataPath: string }): Promise<void> {
  if (!options.dataPath.endsWith('/')) throw new Error(`data_path must end with '/': ${options.dataPath}`);
  const { db } = session;
  await db.run(`use ${catalogAlias}`);
  try {
    await db.transaction(async () => {
      await db.run(catalogDdl);
      const metadata: [string, string][] = [
        ['version', '1.0'],
        ['created_by', 'Mini Data Mart'],
        ['data_path', options.dataPath],
        ['encrypted', 'false'],
        // Every row goes to a Parquet file: nothing is kept inside the catalog.
        ['data_inlining_row_limit', '0'],
      ];
      for (const [key, value] of metadata) {
        await db.run('insert into ducklake_metadata values ($1, $2, null, null)', [key, value]);
      }
      await db.run('insert into ducklake_snapshot values (0, now(), 0, 1, 0)');
      await db.run(`insert into ducklake_snapshot_changes values (0, 'created_schema:"main"', null, null, null)`);
      await db.run(`insert into ducklake_schema values (0, $1::uuid, 0, null, 'main', 'main/', true)`, [randomUUID()]);
    });
  } finally {
    await db.run('use memory');
  }
}
