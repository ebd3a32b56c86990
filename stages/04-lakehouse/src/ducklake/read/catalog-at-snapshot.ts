import { CliError, type Database, quoteIdentifier, quoteQualified } from '@mart/shared';
import { resolveLakePath } from '../../given/index.ts';
import { duckDbTypeOf, isNestedLakeType } from './duckdb-type.ts';
import { readLakeMetadata } from './lake-metadata.ts';
import { resolveSnapshot, type SnapshotInfo } from './resolve-snapshot.ts';

/** A column of a lake table at one snapshot. */
export interface LakeColumn {
  /** Stable across renames; also the Parquet field id of the column in data files. */
  id: number;
  /** The name at this snapshot. */
  name: string;
  order: number;
  /** As stored in the catalog: `int32`, `decimal(18,4)`, `timestamptz`, `struct`… */
  lakeType: string;
  /** The DuckDB type the reader returns: `INTEGER`, `DECIMAL(18,4)`… */
  duckDbType: string;
  /** The value rows written before the column existed read as (text, cast to the type), or null. */
  initialDefault: string | null;
  nullsAllowed: boolean;
  /** Fields of a struct, the element of a list, key and value of a map. */
  children: LakeColumn[];
}

/** A schema at one snapshot. */
export interface LakeSchema {
  id: number;
  name: string;
  /** Full folder: data path + schema path (e.g. `data/main/`). */
  path: string;
}

/** A table at one snapshot. */
export interface LakeTable {
  id: number;
  uuid: string;
  schemaId: number;
  schemaName: string;
  name: string;
  /** Full folder: data path + schema path + table path (e.g. `data/main/sales/`). */
  path: string;
  /** Top-level columns in column order. */
  columns: LakeColumn[];
}

/** Everything a reader needs to know about the lake's structure at one snapshot. */
export interface LakeCatalog {
  snapshot: SnapshotInfo;
  dataPath: string;
  schemas: LakeSchema[];
  tables: LakeTable[];
}

/** Rows of ducklake_column before they become a tree. */
interface ColumnRow {
  id: number;
  tableId: number;
  parentColumn: number | null;
  name: string;
  order: number;
  lakeType: string;
  initialDefault: string | null;
  nullsAllowed: boolean;
}

/**
 * The schemas, tables and columns visible at a snapshot, with their storage paths.
 * An entry is visible at S when `begin_snapshot <= S` and (`end_snapshot` is null or
 * `end_snapshot > S`) (spec "Queries": list schemas, list tables, show the structure of a
 * table). A rename ends one `ducklake_column` row and begins another with the same
 * `column_id`; a dropped column simply ends.
 *
 * Paths (spec `ducklake_schema.path`, `ducklake_table.path`): a relative schema path
 * continues the catalog's `data_path`, a relative table path continues its schema's.
 *
 * @example
 * const catalog = await catalogAtSnapshot(db, '__lake', 11);
 * requireTable(catalog, 'main', 'sales').columns.map((column) => column.name);
 * // → ['id', 'customer_name', 'amount', 'sold_on']
 */
export async function catalogAtSnapshot(db: Database, alias: string, snapshotId: number): Promise<LakeCatalog> {
  const snapshot = await resolveSnapshot(db, alias, { id: snapshotId });
  const { dataPath } = await readLakeMetadata(db, alias);
  const visible = 'begin_snapshot <= $1 and (end_snapshot is null or end_snapshot > $1)';

  const schemaRows = await db.all<{ id: number; name: string; path: string | null; relative: boolean | null }>(
    `select schema_id as id, schema_name as name, path, path_is_relative as relative
     from ${quoteQualified(alias, 'ducklake_schema')} where ${visible} order by schema_id`,
    [snapshot.id],
  );
  const schemas: LakeSchema[] = schemaRows.map((row) => ({
    id: row.id,
    name: row.name,
    path: resolveLakePath(dataPath, row.path, row.relative),
  }));

  const tableRows = await db.all<{
    id: number;
    uuid: string;
    schemaId: number;
    name: string;
    path: string | null;
    relative: boolean | null;
  }>(
    `select table_id as id, table_uuid::varchar as uuid, schema_id as "schemaId", table_name as name,
            path, path_is_relative as relative
     from ${quoteQualified(alias, 'ducklake_table')} where ${visible} order by table_id`,
    [snapshot.id],
  );
  const columnRows = await db.all<ColumnRow>(
    `select column_id as id, table_id as "tableId", parent_column as "parentColumn", column_name as name,
            column_order as "order", column_type as "lakeType", initial_default as "initialDefault",
            coalesce(nulls_allowed, true) as "nullsAllowed"
     from ${quoteQualified(alias, 'ducklake_column')} where ${visible} order by table_id, column_order`,
    [snapshot.id],
  );

  const tables: LakeTable[] = [];
  for (const row of tableRows) {
    const schema = schemas.find((candidate) => candidate.id === row.schemaId);
    // A table outlives its schema only in a corrupt catalog; skip rather than guess a path.
    if (!schema) continue;
    tables.push({
      id: row.id,
      uuid: row.uuid,
      schemaId: row.schemaId,
      schemaName: schema.name,
      name: row.name,
      path: resolveLakePath(schema.path, row.path, row.relative),
      columns: columnTree(columnRows.filter((column) => column.tableId === row.id)),
    });
  }
  return { snapshot, dataPath, schemas, tables };
}

/**
 * The table `schemaName.tableName` of a catalog, or an error that names the table and
 * the snapshot and lists the tables that do exist then.
 *
 * @example
 * requireTable(await catalogAtSnapshot(db, '__lake', 15), 'main', 'customers');
 * // throws: Table main.customers does not exist at snapshot 15.
 */
export function requireTable(catalog: LakeCatalog, schemaName: string, tableName: string): LakeTable {
  const table = catalog.tables.find((entry) => entry.schemaName === schemaName && entry.name === tableName);
  if (table) return table;
  const existing = catalog.tables.map((entry) => `${entry.schemaName}.${entry.name}`);
  throw new CliError(`Table ${schemaName}.${tableName} does not exist at snapshot ${catalog.snapshot.id}.`, {
    hint:
      existing.length > 0
        ? `Tables at snapshot ${catalog.snapshot.id}: ${existing.join(', ')}.`
        : `The lake has no tables at snapshot ${catalog.snapshot.id}.`,
  });
}

/** Nests child columns under their parent and gives every column its DuckDB type. */
function columnTree(rows: ColumnRow[]): LakeColumn[] {
  const build = (parent: number | null): LakeColumn[] =>
    rows
      .filter((row) => row.parentColumn === parent)
      .sort((a, b) => a.order - b.order)
      .map((row) => {
        const children = build(row.id);
        return {
          id: row.id,
          name: row.name,
          order: row.order,
          lakeType: row.lakeType,
          duckDbType: nestedDuckDbType(row.lakeType, children),
          initialDefault: row.initialDefault,
          nullsAllowed: row.nullsAllowed,
          children,
        };
      });
  return build(null);
}

/** struct → STRUCT("a" T, …), list → T[], map → MAP(K, V); primitives by name. */
function nestedDuckDbType(lakeType: string, children: LakeColumn[]): string {
  if (!isNestedLakeType(lakeType)) return duckDbTypeOf(lakeType);
  const type = lakeType.trim().toLowerCase();
  if (type === 'struct') {
    return `STRUCT(${children.map((child) => `${quoteIdentifier(child.name)} ${child.duckDbType}`).join(', ')})`;
  }
  if (type === 'list' && children[0]) return `${children[0].duckDbType}[]`;
  if (type === 'map' && children[0] && children[1]) return `MAP(${children[0].duckDbType}, ${children[1].duckDbType})`;
  throw new CliError(`The lake column type '${lakeType}' has no child columns to build it from.`);
}
