import { CliError, type Database, integerLiteral, quoteIdentifier, quoteLiteral, quoteQualified } from '@mart/shared';
import type { LakePieces, VisibleDataFile } from '../../given/index.ts';
import {
  catalogAtSnapshot,
  type LakeCatalog,
  type LakeColumn,
  type LakeTable,
  requireTable,
} from './catalog-at-snapshot.ts';
import { type InlinedDataTable, inlinedDataTables, inlinedDeleteTable } from './inlined-data.ts';
import type { LakeFiles, LocalLakeFile } from './lake-files.ts';
import { prunedFiles } from './prune-files.ts';
import type { TableNeeds } from './query-needs.ts';
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
  /**
   * What the query reads of the table (see analyzeQuery): its columns, fetched alone
   * when `files` can fetch parts of files, and filters that skip files by their min/max.
   * Default: every column, no file skipped.
   */
  needs?: TableNeeds;
  /** The catalog at `snapshot`, when the caller has read it already (catalogAtSnapshot): saves reading it again. */
  catalog?: LakeCatalog;
}

/** How much of a table a query reads. */
export interface TableFileCounts {
  /** Data files visible at the snapshot. */
  visible: number;
  /** Of those, skipped: their min/max rule out every row the query wants. */
  pruned: number;
  /** Bytes of the visible data files (ducklake_data_file.file_size_bytes). */
  visibleBytes: number;
}

/** A query that returns a lake table's rows at one snapshot. */
export interface LakeTableQuery {
  /** One `select` (a `union all` of its sources), no trailing semicolon: wrap it or add `order by all`. */
  sql: string;
  snapshot: SnapshotInfo;
  table: LakeTable;
  /** The result's columns: names at the snapshot, DuckDB types. */
  columns: { name: string; type: string }[];
  files: TableFileCounts;
  /** The local files `sql` reads (data and delete files): it is only valid while they exist. */
  localPaths: string[];
  /** True when `sql` reads catalog tables too (inlined rows or deletes): it then needs the catalog ATTACHed. */
  readsCatalog: boolean;
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
 * With `needs`, files whose statistics rule out the query's filters are left out (see
 * prunedFiles), and each other file is fetched only as far as the query's columns go
 * (see LakeFiles.localFiles): a column the query does not read is then `NULL` in that
 * file's branch, never read from bytes that were not fetched. The rows the query sees
 * are the same: the files left out hold no row it wants, the NULLs are in columns it
 * does not read.
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
  const catalog =
    options.catalog?.snapshot.id === options.snapshot
      ? options.catalog
      : await catalogAtSnapshot(db, alias, options.snapshot);
  const table = requireTable(catalog, options.schema ?? 'main', options.table);
  const { snapshot } = catalog;
  const nested = table.columns.find((column) => column.children.length > 0);
  if (nested) {
    throw new CliError(
      `Column ${nested.name} of ${table.schemaName}.${table.name} has the nested type ${nested.lakeType}, which this reader does not read.`,
    );
  }

  const branches: string[] = [];
  const localPaths: string[] = [];
  const deletesTable = await inlinedDeleteTable(db, alias, table.id);
  const visible = await options.visibleDataFiles(db, alias, table, snapshot.id);
  for (const file of visible) refuseUnsupported(file, table, snapshot);
  const sizes = await fileSizes(db, alias, visible);
  const needs = options.needs;
  const pruned = needs ? await prunedFiles(db, alias, table, [...sizes.keys()], needs.filters) : new Set<number>();
  const read = visible.filter((file) => !pruned.has(file.id));
  const locals = await localDataFiles(db, files, read, sizes, fieldIdsRead(table, needs));
  const deletes = await Promise.all(
    read.map((file) => Promise.all(file.deleteFiles.map((deletes) => files.localPath(deletes.path)))),
  );
  const names = await fileColumnNames(
    db,
    locals.map((local) => local.path),
  );
  for (const [i, file] of read.entries()) {
    const local = locals[i];
    if (!local) throw new Error(`No local copy of ${file.path}.`);
    localPaths.push(local.path, ...(deletes[i] ?? []));
    branches.push(
      dataFileBranch(
        file,
        table,
        snapshot,
        local,
        names.get(local.path),
        deletes[i] ?? [],
        deletesTable && quoteQualified(alias, deletesTable),
      ),
    );
  }
  const inlinedTables = await inlinedDataTables(db, alias, table, snapshot);
  for (const inlined of inlinedTables) {
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
    files: {
      visible: visible.length,
      pruned: pruned.size,
      visibleBytes: [...sizes.values()].reduce((sum, size) => sum + (size.bytes ?? 0), 0),
    },
    localPaths,
    readsCatalog: inlinedTables.length > 0 || (deletesTable !== undefined && read.length > 0),
  };
}

/** file_size_bytes and footer_size of each data file, by id, in the order given. */
async function fileSizes(
  db: Database,
  alias: string,
  visible: readonly VisibleDataFile[],
): Promise<Map<number, { bytes: number | null; footer: number | null }>> {
  const sizes = new Map<number, { bytes: number | null; footer: number | null }>(
    visible.map((file) => [file.id, { bytes: null, footer: null }]),
  );
  if (visible.length === 0) return sizes;
  const rows = await db.all<{ data_file_id: number; file_size_bytes: number | null; footer_size: number | null }>(
    `select data_file_id, file_size_bytes, footer_size from ${quoteQualified(alias, 'ducklake_data_file')}
      where data_file_id in (${visible.map((file) => integerLiteral(file.id)).join(', ')})`,
  );
  for (const row of rows) {
    sizes.set(Number(row.data_file_id), {
      bytes: row.file_size_bytes === null ? null : Number(row.file_size_bytes),
      footer: row.footer_size === null ? null : Number(row.footer_size),
    });
  }
  return sizes;
}

/** The field ids (column ids) a query reads of the table; undefined: all of them. */
function fieldIdsRead(table: LakeTable, needs: TableNeeds | undefined): number[] | undefined {
  const columns = needs?.columns;
  if (columns === undefined || columns === 'all') return undefined;
  return table.columns.filter((column) => columns.has(column.name.toLowerCase())).map((column) => column.id);
}

/** Local copies of the files, fetched together (in parallel) when the resolver can, else one by one and whole. */
async function localDataFiles(
  db: Database,
  files: LakeFiles,
  read: readonly VisibleDataFile[],
  sizes: Map<number, { bytes: number | null; footer: number | null }>,
  fieldIds: readonly number[] | undefined,
): Promise<LocalLakeFile[]> {
  if (!files.localFiles) {
    const paths: LocalLakeFile[] = [];
    for (const file of read) paths.push({ path: await files.localPath(file.path), fieldIds: 'all' });
    return paths;
  }
  return files.localFiles(
    read.map((file) => ({
      path: file.path,
      sizeBytes: sizes.get(file.id)?.bytes ?? null,
      footerSize: sizes.get(file.id)?.footer ?? null,
      ...(fieldIds ? { fieldIds } : {}),
    })),
    db,
  );
}

/**
 * Each local file's columns by field id, as its footer names them (`parquet_schema`, one
 * query for all the files). A column without a field id is none of the table's and is
 * left out. A file is missing from the result when its names cannot stand for its
 * columns: a nested column (its fields are listed among the columns), or two names that
 * differ only in case (DuckDB matches names case-insensitively).
 */
async function fileColumnNames(db: Database, paths: readonly string[]): Promise<Map<string, Map<number, string>>> {
  const result = new Map<string, Map<number, string>>();
  if (paths.length === 0) return result;
  const rows = await db.all<{ file: string; name: string; fieldId: number | null; children: number | null }>(
    `select file_name as file, name, field_id as "fieldId", num_children as children
       from parquet_schema([${[...new Set(paths)].map(quoteLiteral).join(', ')}])`,
  );
  const byFile = new Map<string, typeof rows>();
  for (const row of rows) {
    const ofFile = byFile.get(row.file) ?? [];
    ofFile.push(row);
    byFile.set(row.file, ofFile);
  }
  for (const [file, [root, ...columns]] of byFile) {
    // The schema's root comes first; in a flat file every other element is a column.
    const flat = columns.length === Number(root?.children) && columns.every((column) => !column.children);
    const lowerNames = new Set(columns.map((column) => column.name.toLowerCase()));
    if (!flat || lowerNames.size < columns.length) continue;
    const named = columns.filter((column) => column.fieldId !== null);
    result.set(file, new Map(named.map((column) => [Number(column.fieldId), column.name])));
  }
  return result;
}

/**
 * One data file: its live rows, columns by field id, deletes applied. Only the columns
 * `local` can read are read; the others are NULL (the query does not read them).
 *
 * Columns are matched to the file's by field id. With the file's own names for its
 * field ids (`names`, from its footer), each column is read by that name and cast to
 * the column's type, and a column the file lacks is its `initial_default`. Without, the
 * matching is left to read_parquet's `schema = map {field_id: {name, type, default}}`,
 * which gives the same rows but costs DuckDB about 1.5 ms more per column and million
 * rows.
 */
function dataFileBranch(
  file: VisibleDataFile,
  table: LakeTable,
  snapshot: SnapshotInfo,
  local: LocalLakeFile,
  names: Map<number, string> | undefined,
  deleteFilePaths: readonly string[],
  inlinedDeletes: string | undefined,
): string {
  const readable = (column: LakeColumn) => local.fieldIds === 'all' || local.fieldIds.includes(column.id);
  if (!table.columns.some(readable))
    throw new Error(`The local copy of ${file.path} reads none of its table's columns.`);

  const deleted: string[] = [];
  for (const deletePath of deleteFilePaths) {
    // The delete file's file_path column repeats the data file's path as the writer saw
    // it (relative to its working directory); the catalog's data_file_id is what links them.
    deleted.push(
      `select pos from read_parquet(${quoteLiteral(deletePath)}, hive_partitioning = false) where pos is not null`,
    );
  }
  if (inlinedDeletes) {
    deleted.push(
      `select row_id from ${inlinedDeletes} where file_id = ${integerLiteral(file.id)} and begin_snapshot <= ${integerLiteral(snapshot.id)} and row_id is not null`,
    );
  }
  // Both lists exclude nulls: `x not in (…, null)` is never true and would hide every row.
  const where = deleted.map((positions) => `file_row_number not in (${positions})`).join(' and ');
  const rowNumbers = deleted.length > 0;
  if (rowNumbers && names && [...names.values()].some((name) => name.toLowerCase() === 'file_row_number')) {
    // DuckDB refuses read_parquet's row positions on such a file, by name or by field id.
    throw new CliError(
      `The data file ${file.path} of ${table.schemaName}.${table.name} has a column called file_row_number and rows deleted from it, which this reader cannot apply: DuckDB's read_parquet names a row's position file_row_number too.`,
    );
  }

  let select: string;
  let source: string;
  if (names) {
    select = table.columns
      .map((column) => {
        const name = names.get(column.id);
        const value = !readable(column)
          ? castValue(null, column)
          : name === undefined
            ? castValue(column.initialDefault, column)
            : castColumn(name, column);
        return `${value} as ${quoteIdentifier(column.name)}`;
      })
      .join(', ');
    source = `read_parquet(${quoteLiteral(local.path)}${rowNumbers ? ', file_row_number = true' : ''}, hive_partitioning = false)`;
  } else {
    // The schema map names each column after its id, so no table column can clash with
    // the file_row_number column or with another column's old name.
    const fields = table.columns.filter(readable).map((column) => {
      const fallback = column.initialDefault === null ? 'null::varchar' : quoteLiteral(column.initialDefault);
      return `${integerLiteral(column.id)}: {name: ${quoteLiteral(fieldName(column))}, type: ${quoteLiteral(column.duckDbType)}, default_value: ${fallback}}`;
    });
    select = table.columns
      .map((column) =>
        readable(column)
          ? `${quoteIdentifier(fieldName(column))} as ${quoteIdentifier(column.name)}`
          : `${castValue(null, column)} as ${quoteIdentifier(column.name)}`,
      )
      .join(', ');
    source = `read_parquet(${quoteLiteral(local.path)}, schema = map {${fields.join(', ')}}, file_row_number = true, hive_partitioning = false)`;
  }
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
