import { join } from 'node:path';
import { type Database, insertRows } from '@mart/shared';
import {
  countTables,
  createDimensionTables,
  type StarSchemaPieces,
  type TableCounts,
} from '@mart/stage-01-star-schema';
import { type CsvScan, scanCsv } from '../csv/scan-csv.ts';
import { type CsvTable, csvTables } from '../csv-tables.ts';
import type { FileReconciliation, Reference } from '../given/index.ts';
import type { CsvLoadPieces } from '../pieces.ts';
import { assertBalanced, checkRejectRates } from './check-reject-rates.ts';
import { collectRejects, type RejectedRow } from './collect-rejects.ts';
import { loadDateDimension, loadDimension, loadFacts } from './load-star-schema.ts';
import { createLineShiftsSql, stageCsv } from './stage-csv.ts';
import { markRejects, typeRows } from './type-rows.ts';

/** One input file after its file-level checks: its spec, its scan and its header's columns. */
export interface CsvInput {
  table: CsvTable;
  scan: CsvScan;
  /** Normalised header names in the file's order. */
  columns: string[];
}

export interface LoadOptions {
  pieces: CsvLoadPieces;
  starPieces: StarSchemaPieces;
  /** 0–1: a file with a larger share of rejected records stops the build. */
  maxRejectRate: number;
  /** Keep the staging tables (stg_*) in the warehouse, to look at them after the build. */
  keepStaging?: boolean;
  /** Called before each step, for progress output. */
  onStep?: (message: string) => void;
}

export interface LoadResult {
  files: FileReconciliation[];
  counts: TableCounts;
  rejects: RejectedRow[];
}

/** Sales must point at existing dimension rows. */
const salesReferences: Reference[] = [
  { table: 'typed_sales', column: 'customer_id', dimension: 'dim_customer', dimensionColumn: 'customer_id' },
  { table: 'typed_sales', column: 'product_id', dimension: 'dim_product', dimensionColumn: 'product_id' },
  { table: 'typed_sales', column: 'store_id', dimension: 'dim_store', dimensionColumn: 'store_id' },
];

/**
 * File-level checks for all four files before any table is touched: a missing, empty,
 * non-UTF-8 or wrongly-headed file stops the build here, naming file, line and column.
 */
export function readInputs(inputDir: string, pieces: CsvLoadPieces): CsvInput[] {
  return csvTables.map((table) => {
    const scan = scanCsv(join(inputDir, table.file), table.file);
    const expected = table.columns.map((column) => column.name);
    return { table, scan, columns: pieces.checkHeader(table.file, scan.header, expected) };
  });
}

/**
 * The stage 2 pipeline, into an empty database:
 * CSV → staging (text, with line numbers) → typed (problems marked) → duplicates and
 * orphans marked → good rows into the star schema, the rest into rejected_rows →
 * every file reconciled (read = loaded + rejected) and its reject rate checked.
 */
export async function loadCsvWarehouse(
  db: Database,
  inputs: readonly CsvInput[],
  options: LoadOptions,
): Promise<LoadResult> {
  const { pieces, onStep = () => {} } = options;
  await createDimensionTables(db);
  await db.run(`
    create table load_files (file varchar primary key, target_table varchar not null, read integer not null, bytes bigint not null);
    create table rejected_rows (file varchar not null, line integer not null, rule varchar not null, reason varchar not null, record varchar not null);
    ${createLineShiftsSql};`);

  for (const { table, scan, columns } of inputs) {
    onStep(`Loading ${table.file} (${scan.read} records)`);
    await stageCsv(db, scan, columns, table.staging, options.keepStaging);
    await typeRows(db, table, pieces);
    await markRejects(db, table.typed, 'duplicate', await pieces.findDuplicates(db, table.typed, table.key));
    if (table.surrogateKey) await loadDimension(db, table);
  }
  onStep('Checking sales against the dimensions');
  for (const reference of salesReferences) {
    await markRejects(db, reference.table, 'orphan', await pieces.findOrphans(db, reference));
  }
  await loadDateDimension(db, options.starPieces);
  await loadFacts(db);

  const rejects: RejectedRow[] = [];
  for (const { table, scan } of inputs) rejects.push(...(await collectRejects(db, table, scan)));
  await insertRows(db, 'rejected_rows', rejects);
  await insertRows(
    db,
    'load_files',
    inputs.map(({ table, scan }) => ({
      file: table.file,
      target_table: table.target,
      read: scan.read,
      bytes: scan.bytes.length,
    })),
  );

  const files = await pieces.reconcileFiles(db);
  assertBalanced(
    files,
    inputs.map((input) => input.table.file),
  );
  checkRejectRates(files, rejects, options.maxRejectRate);
  return { files, counts: await countTables(db), rejects };
}
