// Shared by the stage 4 scenarios (lake-write, lake-read, lake-time-travel): the sales
// table's columns, the staged input, a lake written once for the read scenarios, and a
// run's own lake through stage 4's openLake. Heavy modules are imported inside the
// functions, so a baseline child that imports this file loads none of our code.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lake } from '@mart/stage-04-lakehouse';
import type { NewColumn } from '@mart/stage-04-lakehouse/testing';
import type { SideContext } from '../scenario.ts';

/** The lake table every stage 4 scenario writes and reads: `main.sales`. */
export const salesTable = { schema: 'main', table: 'sales' } as const;

/** The generator's sales.csv columns with their types, plus `amount` (quantity × unit price). */
export const salesColumns: readonly NewColumn[] = [
  { name: 'sale_id', type: 'VARCHAR' },
  { name: 'line_number', type: 'INTEGER' },
  { name: 'sale_date', type: 'DATE' },
  { name: 'customer_id', type: 'VARCHAR' },
  { name: 'product_id', type: 'VARCHAR' },
  { name: 'store_id', type: 'VARCHAR' },
  { name: 'quantity', type: 'INTEGER' },
  { name: 'unit_price', type: 'DECIMAL(10,2)' },
  { name: 'amount', type: 'DECIMAL(12,2)' },
];

/** The bucket of every benchmark lake (the embedded server's default). */
const bucket = 'mart-lake';

/** A prepared lake lives here, laid out as stage 4's `data/lake/`: catalog.duckdb and s3/. */
export function preparedLakeDir(inputDir: string): string {
  return join(inputDir, 'lake');
}

/** The query both sides of the read scenarios answer over all rows of the table (or file). */
export function salesAggregateSql(source: string): string {
  return `select count(*)::bigint as sale_lines, sum(amount)::varchar as amount from ${source}`;
}

/** `select * from read_parquet('<path>')` (quoted here: a baseline child must not load @mart/shared). */
export function readParquetSql(path: string): string {
  return `select * from read_parquet('${path.replaceAll("'", "''")}')`;
}

/**
 * Generates `rows` sale lines with `generateDataset` (the other CSV files are dropped)
 * and stages them as one typed Parquet file at `path`: the lake table's columns, so
 * both sides start from the same values and neither pays for parsing CSV.
 */
export async function stageSales(options: { rows: number; seed: number; path: string }): Promise<void> {
  const { Database, generateDataset, quoteLiteral } = await import('@mart/shared');
  const generated = mkdtempSync(`${options.path}-csv-`);
  try {
    generateDataset({ rows: options.rows, seed: options.seed, outDir: generated });
    const csvTypes = salesColumns
      .filter((column) => column.name !== 'amount')
      .map((column) => `${column.name}: '${column.type}'`)
      .join(', ');
    const db = await Database.open(':memory:');
    try {
      await db.run(
        `copy (select *, cast(quantity * unit_price as decimal(12, 2)) as amount
                 from read_csv(${quoteLiteral(join(generated, 'sales.csv'))}, header = true, columns = {${csvTypes}}))
           to ${quoteLiteral(options.path)} (format parquet)`,
      );
    } finally {
      db.close();
    }
  } finally {
    rmSync(generated, { recursive: true, force: true });
  }
}

/**
 * Writes a lake once for the read scenarios: `main.sales` created, then one commit per
 * staged file, each replacing the table's rows (the first commit also creates the
 * table). The lake is built by stage 4's s3TestLake (a catalog and an embedded S3
 * server in a temporary folder), then copied to `preparedLakeDir(inputDir)`. Returns the
 * snapshot of each commit.
 */
export async function writePreparedLake(inputDir: string, stagedFiles: readonly string[]): Promise<number[]> {
  const { commitSnapshot, createTable, endTableFiles, findTable, insertRows, s3TestLake } = await import(
    '@mart/stage-04-lakehouse/testing'
  );
  const lake = await s3TestLake();
  const snapshots: number[] = [];
  try {
    for (const [i, path] of stagedFiles.entries()) {
      const source = readParquetSql(path);
      const { snapshotId } = await commitSnapshot(lake.session, async (tx) => {
        if (i === 0) await createTable(tx, salesTable.schema, salesTable.table, salesColumns);
        const table = await findTable(tx.db, salesTable.schema, salesTable.table);
        if (!table) throw new Error('The sales table is missing from the lake.');
        await endTableFiles(tx, table.tableId);
        await insertRows(tx, lake.store, lake.pieces, table, source);
      });
      snapshots.push(snapshotId);
    }
    // Closing checkpoints the catalog, so the copied file holds every commit.
    lake.session.close();
    await lake.storage?.close();
    cpSync(join(lake.dir, 'catalog.duckdb'), join(preparedLakeDir(inputDir), 'catalog.duckdb'));
    cpSync(join(lake.dir, 's3'), join(preparedLakeDir(inputDir), 's3'), { recursive: true });
  } finally {
    rmSync(lake.dir, { recursive: true, force: true });
  }
  writeFileSync(join(preparedLakeDir(inputDir), 'snapshots.json'), `${JSON.stringify(snapshots)}\n`);
  return snapshots;
}

/**
 * Opens this run's lake as stage 4's commands do (`openLake`), untimed: starts the
 * embedded S3 server, and with `catalog: 'write'` creates a new catalog. Everything goes
 * under the run's folder: the data folder is the run folder, so the lake is
 * `<runDir>/lake/` and its download cache `<runDir>/lake/cache/` (empty: every file read
 * is fetched over HTTP). With `serve`, the server's storage is the prepared lake's
 * (linked, read only in practice). Stopped after the timed work.
 */
export async function openRunLake(
  context: SideContext,
  options: { catalog?: 'write'; serve?: string } = {},
): Promise<Lake> {
  // The writer's temporary Parquet files go under the run folder, deleted with it (one
  // assignment, in this child only).
  process.env.TMPDIR = context.runDir;
  if (options.serve) {
    mkdirSync(join(context.runDir, 'lake'));
    symlinkSync(options.serve, join(context.runDir, 'lake', 's3'), 'dir');
  }
  const { MartPaths, MineScope } = await import('@mart/shared');
  const { openLake } = await import('@mart/stage-04-lakehouse');
  // The embedded server whatever a .env says (an empty endpoint), so the benchmark never
  // reaches a real bucket; the lake lives under the run folder.
  const lake = await openLake(
    {
      mine: MineScope.none(),
      paths: new MartPaths({ data: context.runDir }),
      env: { MART_S3_ENDPOINT: '', MART_S3_BUCKET: bucket },
    },
    options.catalog ? { catalog: options.catalog } : {},
  );
  context.afterWork(() => lake.close());
  return lake;
}

/** What both sides of the read scenarios compute: sale lines and the total amount (as text, exact). */
export interface SalesAggregate {
  sale_lines: number;
  amount: string;
}

/**
 * Ours: loads what reads `main.sales` at a snapshot (`'latest'`: the newest, resolved
 * from the catalog) as `pnpm stage 4 query "…" [--at N]` does: open the catalog
 * read-only, make a view over the files that snapshot sees (createLakeViews →
 * buildTableQuery), downloading each into the lake's cache, and run the aggregate over it.
 */
export async function loadLakeAggregate(): Promise<
  (lake: Lake, catalogPath: string, at: number | 'latest') => Promise<SalesAggregate>
> {
  const { catalogAlias, createLakeViews, openLakeSession } = await import('@mart/stage-04-lakehouse');
  return async (lake, catalogPath, at) => {
    const session = await openLakeSession(catalogPath, { readOnly: true });
    try {
      const snapshot =
        at === 'latest'
          ? Number(
              await session.db.value<number>(`select max(snapshot_id)::bigint from ${catalogAlias}.ducklake_snapshot`),
            )
          : at;
      await createLakeViews(
        session,
        lake.files,
        lake.pieces,
        snapshot,
        (schema, table) => schema === salesTable.schema && table === salesTable.table,
      );
      const [row] = await session.db.all<SalesAggregate>(salesAggregateSql(`${salesTable.schema}.${salesTable.table}`));
      if (!row) throw new Error('The aggregate returned no row.');
      return row;
    } finally {
      session.close();
    }
  };
}

/** The baseline: loads what runs the same aggregate in a new in-memory DuckDB, read_parquet on a local file. */
export async function loadFileAggregate(): Promise<(path: string) => Promise<SalesAggregate>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  return async (path) => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(salesAggregateSql(`(${readParquetSql(path)})`));
      const [row] = reader.getRowObjectsJS();
      if (!row) throw new Error('The aggregate returned no row.');
      return { sale_lines: Number(row.sale_lines), amount: String(row.amount) };
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
}
