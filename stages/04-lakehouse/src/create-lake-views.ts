import { quoteIdentifier } from '@mart/shared';
import { catalogAlias, type LakeSession } from './ducklake/lake-session.ts';
import { catalogAtSnapshot } from './ducklake/read/catalog-at-snapshot.ts';
import type { LakeFiles } from './ducklake/read/lake-files.ts';
import type { QueryNeeds } from './ducklake/read/query-needs.ts';
import { buildTableQuery, type TableFileCounts } from './ducklake/read/table-query.ts';
import type { LakePieces } from './pieces.ts';

/** One view {@link createLakeViews} made: `create or replace view schema.table as sql`. */
export interface LakeView {
  schema: string;
  table: string;
  sql: string;
  /** The local files `sql` reads (see LakeTableQuery). */
  localPaths: string[];
  /** `sql` reads catalog tables (inlined rows or deletes), not only local files. */
  readsCatalog: boolean;
}

/** What {@link createLakeViews} made, and how much of the tables' files it read. */
export interface LakeViews {
  /** e.g. ['gold.revenue_by_month', 'silver.fact_sales'] */
  names: string[];
  /** Every schema that has a table at the snapshot: each was created, with or without views. */
  schemas: string[];
  views: LakeView[];
  /** Every table at the snapshot (`schema.table`), wanted or not: for messages. */
  tables: string[];
  /** Summed over the views: data files visible, pruned, and their bytes. */
  files: TableFileCounts;
}

/**
 * Makes every lake table at `snapshotId` queryable by its schema-qualified name
 * (`gold.revenue_by_month`): one view per table over the files that snapshot sees.
 * With `needs` (analyzeQuery of the SQL about to run), each view reads only the files
 * and columns that SQL needs; without, whole files.
 */
export async function createLakeViews(
  session: LakeSession,
  files: LakeFiles,
  pieces: LakePieces,
  snapshotId: number,
  /** Only tables this returns true for (e.g. those a query names): the others' files are not fetched. */
  wanted: (schema: string, table: string) => boolean = () => true,
  options: { needs?: QueryNeeds } = {},
): Promise<LakeViews> {
  const { db } = session;
  const catalog = await catalogAtSnapshot(db, catalogAlias, snapshotId);
  const views: LakeView[] = [];
  const counts: TableFileCounts = { visible: 0, pruned: 0, visibleBytes: 0 };
  // Every schema exists, even when none of its tables is wanted: a query naming a
  // missing table then hears "no table nope", not "no schema silver".
  const schemas = [...new Set(catalog.tables.map((table) => table.schemaName))];
  for (const schema of schemas) await db.run(`create schema if not exists ${quoteIdentifier(schema)}`);
  for (const table of catalog.tables) {
    if (!wanted(table.schemaName, table.name)) continue;
    const needs = options.needs?.of(table.schemaName, table.name);
    const query = await buildTableQuery({
      db,
      catalogAlias,
      files,
      schema: table.schemaName,
      table: table.name,
      snapshot: snapshotId,
      visibleDataFiles: pieces.visibleDataFiles,
      catalog,
      ...(needs ? { needs } : {}),
    });
    await db.run(
      `create or replace view ${quoteIdentifier(table.schemaName)}.${quoteIdentifier(table.name)} as ${query.sql}`,
    );
    views.push({
      schema: table.schemaName,
      table: table.name,
      sql: query.sql,
      localPaths: query.localPaths,
      readsCatalog: query.readsCatalog,
    });
    counts.visible += query.files.visible;
    counts.pruned += query.files.pruned;
    counts.visibleBytes += query.files.visibleBytes;
  }
  return {
    names: views.map((view) => `${view.schema}.${view.table}`).sort(),
    schemas,
    views,
    tables: catalog.tables.map((table) => `${table.schemaName}.${table.name}`).sort(),
    files: counts,
  };
}
