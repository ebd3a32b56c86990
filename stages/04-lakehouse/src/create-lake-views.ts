import { quoteIdentifier } from '@mart/shared';
import { catalogAlias, type LakeSession } from './ducklake/lake-session.ts';
import { catalogAtSnapshot } from './ducklake/read/catalog-at-snapshot.ts';
import type { LakeFiles } from './ducklake/read/lake-files.ts';
import { buildTableQuery } from './ducklake/read/table-query.ts';
import type { LakePieces } from './pieces.ts';

/**
 * Makes every lake table at `snapshotId` queryable by its schema-qualified name
 * (`gold.revenue_by_month`): one view per table over the files that snapshot sees.
 * Returns the names, e.g. ['gold.revenue_by_month', 'silver.fact_sales'].
 */
export async function createLakeViews(
  session: LakeSession,
  files: LakeFiles,
  pieces: LakePieces,
  snapshotId: number,
  /** Only tables this returns true for (e.g. those a query names): the others' files are not fetched. */
  wanted: (schema: string, table: string) => boolean = () => true,
): Promise<string[]> {
  const { db } = session;
  const catalog = await catalogAtSnapshot(db, catalogAlias, snapshotId);
  const names: string[] = [];
  for (const table of catalog.tables) {
    // Every schema exists, even when none of its tables is wanted: a query naming a
    // missing table then hears "no table nope", not "no schema silver".
    await db.run(`create schema if not exists ${quoteIdentifier(table.schemaName)}`);
    if (!wanted(table.schemaName, table.name)) continue;
    const query = await buildTableQuery({
      db,
      catalogAlias,
      files,
      schema: table.schemaName,
      table: table.name,
      snapshot: snapshotId,
      visibleDataFiles: pieces.visibleDataFiles,
    });
    await db.run(
      `create or replace view ${quoteIdentifier(table.schemaName)}.${quoteIdentifier(table.name)} as ${query.sql}`,
    );
    names.push(`${table.schemaName}.${table.name}`);
  }
  return names.sort();
}
