import type { Database } from '@mart/shared';
import { isMissingRelation, quoteQualified } from '@mart/shared';
import type { LakeTable } from './catalog-at-snapshot.ts';
import type { SnapshotInfo } from './resolve-snapshot.ts';

/**
 * A catalog table holding rows inlined into the catalog instead of a Parquet file
 * (the extension does this below its inlining row limit). One exists per table and
 * schema version: `ducklake_inlined_data_<table_id>_<schema_version>`, with columns
 * `row_id, begin_snapshot, end_snapshot` and then the table's columns as they were named
 * at that schema version.
 */
export interface InlinedDataTable {
  /** Its name inside the catalog database. */
  tableName: string;
  schemaVersion: number;
  /** Column id → the column's name in this inlined table, for the columns it has. */
  columnNames: Map<number, string>;
}

/**
 * The inlined-data tables a read at `snapshot` must include: those registered in
 * `ducklake_inlined_data_tables` for the table at a schema version up to the snapshot's
 * (later ones can only hold later rows), that exist in the catalog database.
 *
 * Their columns are matched to column ids through the table's columns at the first
 * snapshot of that schema version: names are unique within one version, and a later
 * rename or drop does not rename the inlined table's columns.
 *
 * @example
 * const inlined = await inlinedDataTables(db, '__lake', sales, snapshot);
 * inlined[0]?.tableName; // → 'ducklake_inlined_data_1_1'
 */
export async function inlinedDataTables(
  db: Database,
  alias: string,
  table: LakeTable,
  snapshot: SnapshotInfo,
): Promise<InlinedDataTable[]> {
  const registered = await db.all<{ tableName: string; schemaVersion: number }>(
    `select table_name as "tableName", schema_version as "schemaVersion"
     from ${quoteQualified(alias, 'ducklake_inlined_data_tables')}
     where table_id = $1 and schema_version <= $2
     order by schema_version`,
    [table.id, snapshot.schemaVersion],
  );
  const result: InlinedDataTable[] = [];
  for (const entry of registered) {
    const physical = await catalogColumns(db, alias, entry.tableName);
    if (physical.length === 0) continue;
    const versionStart = await schemaVersionStart(db, alias, table.id, entry.schemaVersion);
    const columns = await db.all<{ id: number; name: string }>(
      `select column_id as id, column_name as name from ${quoteQualified(alias, 'ducklake_column')}
       where table_id = $1 and parent_column is null
         and begin_snapshot <= $2 and (end_snapshot is null or end_snapshot > $2)`,
      [table.id, versionStart],
    );
    const columnNames = new Map<number, string>();
    for (const column of columns) {
      if (physical.includes(column.name)) columnNames.set(column.id, column.name);
    }
    result.push({ tableName: entry.tableName, schemaVersion: entry.schemaVersion, columnNames });
  }
  return result;
}

/**
 * The name of the table's inlined file-deletes table, `ducklake_inlined_delete_<table_id>`,
 * if the catalog has one. Its rows `(file_id, row_id, begin_snapshot)` delete the row at
 * position `row_id` of data file `file_id` from `begin_snapshot` on: small deletes from
 * Parquet files that did not get a delete file of their own.
 *
 * @example
 * await inlinedDeleteTable(db, '__lake', 1); // → 'ducklake_inlined_delete_1'
 */
export async function inlinedDeleteTable(db: Database, alias: string, tableId: number): Promise<string | undefined> {
  const name = `ducklake_inlined_delete_${tableId}`;
  try {
    // Binding a query of the table is the cheapest way to ask: duckdb_tables() works out
    // every table's size first (7–9 ms in a fresh instance against about 1 ms, and every
    // read asks).
    await db.run(`select 1 from ${quoteQualified(alias, 'main', name)} limit 0`);
    return name;
  } catch (error) {
    if (isMissingRelation(error)) return undefined;
    throw error;
  }
}

/** Column names of a table in the catalog database; none if it does not exist. */
async function catalogColumns(db: Database, alias: string, tableName: string): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    `select column_name as name from duckdb_columns()
     where database_name = $1 and schema_name = 'main' and table_name = $2 order by column_index`,
    [alias, tableName],
  );
  return rows.map((row) => row.name);
}

/** The first snapshot with a schema version: where that version's column names hold. */
async function schemaVersionStart(
  db: Database,
  alias: string,
  tableId: number,
  schemaVersion: number,
): Promise<number> {
  const start = await db.value<number | null>(
    `select coalesce(
       (select min(snapshot_id) from ${quoteQualified(alias, 'ducklake_snapshot')} where schema_version = $2),
       (select min(begin_snapshot) from ${quoteQualified(alias, 'ducklake_schema_versions')}
        where table_id = $1 and schema_version = $2))`,
    [tableId, schemaVersion],
  );
  if (start === null) {
    throw new Error(`No snapshot has schema version ${schemaVersion}, which inlined data of table ${tableId} uses.`);
  }
  return start;
}
