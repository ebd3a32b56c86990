import { CliError, type Database, integerLiteral, quoteIdentifier, quoteLiteral, quoteQualified } from '@mart/shared';
import type { LakePieces, VisibleDataFile } from '../../given/index.ts';
import { catalogAtSnapshot, type LakeColumn, type LakeTable, requireTable } from './catalog-at-snapshot.ts';
import { type InlinedDataTable, inlinedDataTables, inlinedDeleteTable } from './inlined-data.ts';
import type { LakeFiles } from './lake-files.ts';
import type { SnapshotInfo } from './resolve-snapshot.ts';

/** What to read, and with what. */
export interface TableQueryOptions {
  /** The DuckDB that will run the query; the catalog is ATTACHed in it as `catalogAlias`. */
  db: Database;
  catalogAlias: string;
  /** Turns the catalog's file paths into paths DuckDB can open. */
  files: LakeFiles;
  /** Default `main`. */
  schema?: string;
  table: string;
  snapshot: number;
  /** Which files a snapshot sees: the exercise piece (the reference, or yours with --mine). */
  visibleDataFiles: LakePieces['visibleDataFiles'];
}

/** A query that returns a lake table's rows at one snapshot. */
export interface LakeTableQuery {
  /** One `select` (a `union all` of its sources), no trailing semicolon: wrap it or add `order by all`. */
  sql: string;
  snapshot: SnapshotInfo;
  table: LakeTable;
  /** The result's columns: names at the snapshot, DuckDB types. */
  columns: { name: string; type: string }[];
}

/**
 * Builds the SQL that returns exactly the rows of `schema.table` at a snapshot, as the
 * official extension's `SELECT * FROM lake.t AT (VERSION => n)` would:
 *
 * - every data file visible at the snapshot, read with `read_parquet(…, schema = map {…})`,
 *   which matches Parquet field ids to column ids: a renamed column still matches, a
 *   column added later reads as its `initial_default`, a dropped one is not selected;
 * - minus the row positions (`file_row_number`) listed in the file's delete file and in
 *   the table's inlined deletes (`ducklake_inlined_delete_<table_id>`) up to the snapshot;
 * - plus the rows inlined into the catalog (`ducklake_inlined_data_<table_id>_<version>`)
 *   alive at the snapshot, their columns matched to column ids by name within their version.
 *
 * Paths and `initial_default` values go into the SQL as quoted literals, names as quoted
 * identifiers and ids as checked integers.
 *
 * @example
 * await db.run(`attach ${quoteLiteral(catalogPath)} as __lake (read_only)`);
 * const query = await buildTableQuery({ db, catalogAlias: '__lake', files: localLakeFiles(dir), table: 'sales', snapshot: 8 });
 * const rows = await db.all(`${query.sql} order by all`);
 */
export async function buildTableQuery(options: TableQueryOptions): Promise<LakeTableQuery> {
  const { db, catalogAlias: alias, files } = options;
  const catalog = await catalogAtSnapshot(db, alias, options.snapshot);
  const table = requireTable(catalog, options.schema ?? 'main', options.table);
  const { snapshot } = catalog;
  const nested = table.columns.find((column) => column.children.length > 0);
  if (nested) {
    throw new CliError(
      `Column ${nested.name} of ${table.schemaName}.${table.name} has the nested type ${nested.lakeType}, which this reader does not read.`,
    );
  }

  const branches: string[] = [];
  const deletesTable = await inlinedDeleteTable(db, alias, table.id);
  for (const file of await options.visibleDataFiles(db, alias, table, snapshot.id)) {
    branches.push(
      await dataFileBranch(file, table, snapshot, files, deletesTable && quoteQualified(alias, deletesTable)),
    );
  }
  for (const inlined of await inlinedDataTables(db, alias, table, snapshot)) {
    branches.push(inlinedBranch(quoteQualified(alias, inlined.tableName), inlined, table.columns, snapshot));
  }
  if (branches.length === 0) {
    // No rows at all: still the right column names and types.
    const empty = table.columns.map((column) => `${castValue(null, column)} as ${quoteIdentifier(column.name)}`);
    branches.push(`select ${empty.join(', ')} where false`);
  }
  return {
    sql: branches.join('\nunion all\n'),
    snapshot,
    table,
    columns: table.columns.map((column) => ({ name: column.name, type: column.duckDbType })),
  };
}

/** One data file: its live rows, columns by field id, deletes applied. */
async function dataFileBranch(
  file: VisibleDataFile,
  table: LakeTable,
  snapshot: SnapshotInfo,
  files: LakeFiles,
  inlinedDeletes: string | undefined,
): Promise<string> {
  refuseUnsupported(file, table, snapshot);
  // The schema map names each column after its id, so no table column can clash with
  // the file_row_number column or with another column's old name.
  const fields = table.columns.map((column) => {
    const fallback = column.initialDefault === null ? 'null::varchar' : quoteLiteral(column.initialDefault);
    return `${integerLiteral(column.id)}: {name: ${quoteLiteral(fieldName(column))}, type: ${quoteLiteral(column.duckDbType)}, default_value: ${fallback}}`;
  });
  const select = table.columns
    .map((column) => `${quoteIdentifier(fieldName(column))} as ${quoteIdentifier(column.name)}`)
    .join(', ');
  const source = `read_parquet(${quoteLiteral(await files.localPath(file.path))}, schema = map {${fields.join(', ')}}, file_row_number = true, hive_partitioning = false)`;

  const deleted: string[] = [];
  for (const deletes of file.deleteFiles) {
    const deletePath = quoteLiteral(await files.localPath(deletes.path));
    // The delete file's file_path column repeats the data file's path as the writer saw
    // it (relative to its working directory); the catalog's data_file_id is what links them.
    deleted.push(`select pos from read_parquet(${deletePath}, hive_partitioning = false) where pos is not null`);
  }
  if (inlinedDeletes) {
    deleted.push(
      `select row_id from ${inlinedDeletes} where file_id = ${integerLiteral(file.id)} and begin_snapshot <= ${integerLiteral(snapshot.id)} and row_id is not null`,
    );
  }
  // Both lists exclude nulls: `x not in (…, null)` is never true and would hide every row.
  const where = deleted.map((positions) => `file_row_number not in (${positions})`).join(' and ');
  return `select ${select} from ${source}${where ? ` where ${where}` : ''}`;
}

/** Rows inlined into the catalog at one schema version, alive at the snapshot. */
function inlinedBranch(
  source: string,
  inlined: InlinedDataTable,
  columns: LakeColumn[],
  snapshot: SnapshotInfo,
): string {
  const select = columns.map((column) => {
    const name = inlined.columnNames.get(column.id);
    const value = name === undefined ? castValue(column.initialDefault, column) : castColumn(name, column);
    return `${value} as ${quoteIdentifier(column.name)}`;
  });
  const at = integerLiteral(snapshot.id);
  return `select ${select.join(', ')} from ${source} where begin_snapshot <= ${at} and (end_snapshot is null or end_snapshot > ${at})`;
}

function fieldName(column: LakeColumn): string {
  return `__column_${column.id}`;
}

function castColumn(name: string, column: LakeColumn): string {
  return `cast(${quoteIdentifier(name)} as ${column.duckDbType})`;
}

function castValue(value: string | null, column: LakeColumn): string {
  return `cast(${value === null ? 'null' : quoteLiteral(value)} as ${column.duckDbType})`;
}

/** Features of the format that this reader does not implement: refuse rather than return wrong rows. */
function refuseUnsupported(file: VisibleDataFile, table: LakeTable, snapshot: SnapshotInfo): void {
  const where = `data file ${file.path} of ${table.schemaName}.${table.name}`;
  const refuse = (what: string) => new CliError(`The ${where} ${what}, which this reader does not support.`);
  if (file.format !== 'parquet') throw refuse(`is in the ${file.format} format`);
  if (file.encrypted) throw refuse('is encrypted');
  if (file.mappingId !== null) throw refuse('has no field ids (it was added with a name mapping)');
  if (file.partialMax !== null && snapshot.id < file.partialMax) throw refuse('holds rows of several snapshots');
  for (const deletes of file.deleteFiles) {
    if (deletes.format !== 'parquet') throw refuse(`has a delete file in the ${deletes.format} format`);
    if (deletes.encrypted) throw refuse('has an encrypted delete file');
    if (deletes.partialMax !== null && snapshot.id < deletes.partialMax) {
      throw refuse('has a delete file with deletes of several snapshots');
    }
  }
}
