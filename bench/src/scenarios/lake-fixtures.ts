// Shared by the stage 4 scenarios (lake-write, lake-read, lake-time-travel): the sales
// table's columns, the staged input, a lake written once for the read scenarios, and a
// run's own lake through stage 4's openLake. Heavy modules are imported inside the
// functions, so a baseline child that imports this file loads none of our code.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** An aggregate over one column (amount): the time-travel scenario's query, over the table (or a file). */
export function salesAggregateSql(source: string): string {
  return `select count(*)::bigint as sale_lines, sum(amount)::varchar as amount from ${source}`;
}

/** An aggregate over two columns (quantity, amount): the cold and warm read scenarios' query. */
export function twoColumnAggregateSql(source: string): string {
  return `select sum(quantity)::bigint as quantity, sum(amount)::varchar as amount from ${source}`;
}

/** `main.sales` in the SQL ours runs (the lake table's view). */
export const salesSource = `${'main'}.${'sales'}`;

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
 * table), or with `append` adding to them; `rowsOf` picks the rows of a commit (default:
 * all of the file). The lake is built by stage 4's s3TestLake (a catalog and an embedded
 * S3 server in a temporary folder), then copied to `preparedLakeDir(inputDir)`. Returns
 * the snapshot of each commit.
 */
export async function writePreparedLake(
  inputDir: string,
  stagedFiles: readonly string[],
  options: { append?: boolean; rowsOf?: (path: string, index: number) => string } = {},
): Promise<number[]> {
  const { commitSnapshot, createTable, endTableFiles, findTable, insertRows, s3TestLake } = await import(
    '@mart/stage-04-lakehouse/testing'
  );
  const lake = await s3TestLake();
  const snapshots: number[] = [];
  try {
    for (const [i, path] of stagedFiles.entries()) {
      const source = options.rowsOf ? options.rowsOf(path, i) : readParquetSql(path);
      const { snapshotId } = await commitSnapshot(lake.session, async (tx) => {
        if (i === 0) await createTable(tx, salesTable.schema, salesTable.table, salesColumns);
        const table = await findTable(tx.db, salesTable.schema, salesTable.table);
        if (!table) throw new Error('The sales table is missing from the lake.');
        if (!options.append) await endTableFiles(tx, table.tableId);
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

/** One row of a read scenario's query: every value as text (exact), compared between the sides. */
export type QueryRow = Record<string, string>;

/**
 * Ours: loads what answers `sql` over `main.sales` at a snapshot (`'latest'`: the newest)
 * as `pnpm stage 4 query "…" [--at N]` does, with stage 4's queryLake: a saved plan of
 * the same SQL on the same catalog when there is one (in the run's lake cache), else open
 * the catalog read-only, analyse the SQL (which columns, which filters), make the table's
 * view over the files that snapshot sees, skipping files by their min/max and fetching
 * only the columns read into the lake's cache, run the SQL and save the plan. `sql`
 * names the table `main.sales`.
 */
export async function loadLakeQuery(
  context: SideContext,
): Promise<
  (
    lake: Lake,
    catalogPath: string,
    sql: string,
    at: number | 'latest',
  ) => Promise<{ rows: QueryRow[]; visibleBytes: number; pruned: number; fromPlan: boolean }>
> {
  const { openLakeSession, queryLake, queryPlans } = await import('@mart/stage-04-lakehouse');
  return async (lake, catalogPath, sql, at) => {
    const result = await queryLake({
      sql,
      at: at === 'latest' ? at : { id: at },
      openLake: async () => ({
        files: lake.files,
        pieces: lake.pieces,
        session: await openLakeSession(catalogPath, { readOnly: true }),
      }),
      plans: queryPlans({
        // Where openRunLake's lake keeps them: the run's own data folder.
        dir: join(context.runDir, 'lake', 'cache', '.plans'),
        catalogPath,
        urlPrefix: lake.store.urlPrefix,
      }),
    });
    return {
      rows: result.rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)]))),
      visibleBytes: result.files.visibleBytes,
      pruned: result.files.pruned,
      fromPlan: result.fromPlan,
    };
  };
}

/** The baseline: loads what runs `sql` in a new in-memory DuckDB (the table replaced by a local file, see the scenario). */
export async function loadDuckDbQuery(): Promise<(sql: string) => Promise<QueryRow[]>> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  return async (sql) => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(sql);
      return reader
        .getRowObjectsJS()
        .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
}

/** Byte ranges of one object that a read needs: what the floor fetches with raw GetObject calls. */
export interface FloorObject {
  key: string;
  size: number;
  /** `[start, end)`: the footer (with its length and PAR1) and the needed columns' chunks and bloom filters. */
  ranges: [number, number][];
}

/** Where a read scenario's floor plan is kept in the input folder. */
function floorPlanPath(inputDir: string): string {
  return join(preparedLakeDir(inputDir), 'floor-plan.json');
}

/**
 * Untimed, once, in `prepare`: the bytes a read of `columns` needs from each data file
 * of `main.sales` at the latest snapshot whose statistics `keep` accepts (all by
 * default), found the way any Parquet reader finds them: the footer (ducklake_data_file
 * gives its size), then from its metadata each column chunk's first page offset and
 * compressed size, and its bloom filter. Saved for the floor side.
 */
export async function writeFloorPlan(
  inputDir: string,
  columns: readonly string[],
  keep: (stats: Record<string, { min: string | null; max: string | null }>) => boolean = () => true,
): Promise<FloorObject[]> {
  const { Database, createS3Client, embeddedCredentials, quoteLiteral, startEmbeddedS3 } = await import('@mart/shared');
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { closeSync, ftruncateSync, openSync, writeSync } = await import('node:fs');
  const db = await Database.open(':memory:');
  const server = await startEmbeddedS3({ directory: join(preparedLakeDir(inputDir), 's3') });
  const client = createS3Client(
    { ...embeddedCredentials, region: 'us-east-1', bucket, embedded: true },
    server.endpoint,
  );
  const plan: FloorObject[] = [];
  try {
    await db.run(`attach ${quoteLiteral(join(preparedLakeDir(inputDir), 'catalog.duckdb'))} as lake (read_only)`);
    const files = await db.all<{ id: number; path: string; size: number; footer: number }>(
      `select f.data_file_id as id, s.path || t.path || f.path as path, f.file_size_bytes as size, f.footer_size as footer
         from lake.ducklake_data_file f join lake.ducklake_table t using (table_id) join lake.ducklake_schema s using (schema_id)
        where f.end_snapshot is null and t.table_name = 'sales' and t.end_snapshot is null and s.end_snapshot is null
        order by f.data_file_id`,
    );
    const dataPath = await db.value<string>(`select value from lake.ducklake_metadata where key = 'data_path'`);
    for (const file of files) {
      const stats = await db.all<{ name: string; min: string | null; max: string | null }>(
        `select c.column_name as name, s.min_value as min, s.max_value as max
           from lake.ducklake_file_column_stats s join lake.ducklake_column c using (column_id, table_id)
          where s.data_file_id = $1 and c.end_snapshot is null`,
        [file.id],
      );
      if (!keep(Object.fromEntries(stats.map((row) => [row.name, { min: row.min, max: row.max }])))) continue;
      const key = `${dataPath}${file.path}`.replace(/^s3:\/\/[^/]+\//, '');
      const size = Number(file.size);
      const footer: [number, number] = [size - Number(file.footer) - 8, size];
      const response = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${footer[0]}-${footer[1] - 1}` }),
      );
      const tail = await response.Body?.transformToByteArray();
      if (!tail) throw new Error(`No footer for ${key}.`);
      const local = join(inputDir, 'footer.parquet');
      const fd = openSync(local, 'w');
      ftruncateSync(fd, size);
      writeSync(fd, Buffer.from('PAR1'), 0, 4, 0);
      writeSync(fd, tail, 0, tail.length, footer[0]);
      closeSync(fd);
      const chunks = await db.all<{ start: number; bytes: number; bloom: number | null; bloom_bytes: number | null }>(
        `select least(coalesce(nullif(dictionary_page_offset, 0), data_page_offset), data_page_offset) as start,
                total_compressed_size as bytes, bloom_filter_offset as bloom, bloom_filter_length as bloom_bytes
           from parquet_metadata(${quoteLiteral(local)})
          where path_in_schema in (${columns.map((column) => quoteLiteral(column)).join(', ')})`,
      );
      const ranges: [number, number][] = [footer];
      for (const chunk of chunks) {
        ranges.push([Number(chunk.start), Number(chunk.start) + Number(chunk.bytes)]);
        if (chunk.bloom !== null) ranges.push([Number(chunk.bloom), Number(chunk.bloom) + Number(chunk.bloom_bytes)]);
      }
      plan.push({ key, size, ranges });
    }
  } finally {
    client.destroy();
    await server.close();
    db.close();
  }
  writeFileSync(floorPlanPath(inputDir), `${JSON.stringify(plan)}\n`);
  return plan;
}

/**
 * The floor of a read: an S3 server on the prepared lake (started untimed), and, timed,
 * raw GetObject calls for exactly the planned byte ranges (8 at a time, as ours), written
 * into sparse local files of the objects' sizes, then DuckDB running `sql(paths)` on
 * them. No catalog, no SQL analysis, no cache bookkeeping: what any reader must pay.
 */
export async function loadFloorRead(
  context: SideContext,
): Promise<(sql: (paths: string[]) => string) => Promise<{ rows: QueryRow[]; bytes: number }>> {
  const { createS3Client, embeddedCredentials, startEmbeddedS3 } = await import('@mart/shared');
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const { closeSync, ftruncateSync, openSync, writeSync } = await import('node:fs');
  const plan = JSON.parse(readFileSync(floorPlanPath(context.inputDir), 'utf8')) as FloorObject[];
  const server = await startEmbeddedS3({ directory: join(preparedLakeDir(context.inputDir), 's3') });
  const client = createS3Client(
    { ...embeddedCredentials, region: 'us-east-1', bucket, embedded: true },
    server.endpoint,
  );
  context.afterWork(async () => {
    client.destroy();
    await server.close();
  });
  const query = await loadDuckDbQuery();
  return async (sql) => {
    let bytes = 0;
    const paths: string[] = [];
    const jobs = plan.flatMap((object, i) => {
      const path = join(context.runDir, `floor-${i}.parquet`);
      paths.push(path);
      const fd = openSync(path, 'w');
      ftruncateSync(fd, object.size);
      writeSync(fd, Buffer.from('PAR1'), 0, 4, 0);
      return object.ranges.map((range) => ({ fd, key: object.key, range }));
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < jobs.length) {
          const job = jobs[next++];
          if (!job) break;
          const response = await client.send(
            new GetObjectCommand({ Bucket: bucket, Key: job.key, Range: `bytes=${job.range[0]}-${job.range[1] - 1}` }),
          );
          const data = await response.Body?.transformToByteArray();
          if (!data) throw new Error(`No bytes for ${job.key}.`);
          writeSync(job.fd, data, 0, data.length, job.range[0]);
          bytes += data.length;
        }
      }),
    );
    for (const fd of new Set(jobs.map((job) => job.fd))) closeSync(fd);
    return { rows: await query(sql(paths)), bytes };
  };
}
