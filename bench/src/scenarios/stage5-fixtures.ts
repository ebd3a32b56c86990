import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeResult } from '@mart/stage-05-incremental';

// What the stage 5 scenarios share: a lake of N nightly batches as a plain DuckDB file
// (the tables the project's sources name, as stage 5's mount would show them), and one
// run of the stage's dbt project against it through the runner's engine. Going around
// stage 4's S3 lake keeps the benchmark about the runner: fetching Parquet from the
// bucket is stage 4's benchmark.

/**
 * The first day of the generated sales: the `begin` of the project's microbatch model
 * (daily_revenue), as in the course's own data. A later first day would make every full
 * build run a year of empty monthly batches first, which measures nothing the project does.
 */
export const firstDay = '2024-01-01';

/** `first` plus `count` days, `YYYY-MM-DD`. */
export function addDays(first: string, count: number): string {
  const time = new Date(`${first}T00:00:00Z`);
  time.setUTCDate(time.getUTCDate() + count);
  return time.toISOString().slice(0, 10);
}

/**
 * Writes `<dir>/lake-<days>.duckdb`: bronze.sales and bronze.customers holding `days`
 * nightly batches of the shared generator (late lines and corrections included), one
 * `_ingest_id` per night, and silver.dim_product / dim_store from the seeds. Returns its path.
 */
export async function writeLakeDb(options: { dir: string; days: number; rows: number }): Promise<string> {
  const { Database, MartPaths, MineScope, dailyBatch, quoteLiteral, salesHeader } = await import('@mart/shared');
  const { seedDimensions } = await import('@mart/stage-05-incremental');
  const seeds = await seedDimensions({ mine: MineScope.none(), paths: new MartPaths() });
  const linesPerDay = Math.max(1, Math.round(options.rows / options.days));
  const salesCsv = join(options.dir, `sales-${options.days}.csv`);
  const customersCsv = join(options.dir, `customers-${options.days}.csv`);
  const sales: string[] = [`${salesHeader},_ingest_id`];
  const customers: string[] = ['customer_id,name,email,city,country,segment,signup_date,_ingest_id'];
  for (let i = 0; i < options.days; i++) {
    const day = addDays(firstDay, i);
    const batch = dailyBatch({ seed: 42, day, firstDay, linesPerDay, dimensions: seeds.dimensions });
    // Nightly ingests sort by their id, as stage 4's (a UTC time) do.
    const ingest = `${day.replaceAll('-', '')}T230000000Z`;
    for (const line of batch.sales) sales.push(`${line},${ingest}`);
    for (const customer of batch.customers) {
      customers.push(
        [
          customer.customer_id,
          customer.name,
          customer.email,
          customer.city,
          customer.country,
          customer.segment,
          customer.signup_date,
          ingest,
        ]
          .map((value) => (/[",]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value))
          .join(','),
      );
    }
  }
  writeFileSync(salesCsv, `${sales.join('\n')}\n`);
  writeFileSync(customersCsv, `${customers.join('\n')}\n`);

  const path = join(options.dir, `lake-${options.days}.duckdb`);
  const db = await Database.open(path);
  try {
    await db.run('create schema bronze; create schema silver;');
    await db.run(`create table bronze.sales as
      select sale_id, line_number, sale_date, customer_id, product_id, store_id, quantity, unit_price,
             'sales.csv' as _source_file, 0 as _source_line, _ingest_id
        from read_csv(${quoteLiteral(salesCsv)}, header = true, columns = {
          'sale_id': 'VARCHAR', 'line_number': 'INTEGER', 'sale_date': 'DATE', 'customer_id': 'VARCHAR',
          'product_id': 'VARCHAR', 'store_id': 'VARCHAR', 'quantity': 'INTEGER', 'unit_price': 'DECIMAL(10,2)',
          '_ingest_id': 'VARCHAR'})`);
    await db.run(`create table bronze.customers as
      select * exclude (_ingest_id), 'customers.csv' as _source_file, 0 as _source_line, _ingest_id
        from read_csv(${quoteLiteral(customersCsv)}, header = true, columns = {
          'customer_id': 'VARCHAR', 'name': 'VARCHAR', 'email': 'VARCHAR', 'city': 'VARCHAR', 'country': 'VARCHAR',
          'segment': 'VARCHAR', 'signup_date': 'DATE', '_ingest_id': 'VARCHAR'})`);
    await db.run(`create table silver.dim_product (product_id varchar, name varchar, category varchar, brand varchar, list_price decimal(10, 2));
      create table silver.dim_store (store_id varchar, name varchar, city varchar, region varchar, channel varchar);`);
    for (const product of seeds.products) {
      await db.run('insert into silver.dim_product values ($1, $2, $3, $4, $5)', [
        String(product.product_id),
        String(product.name),
        String(product.category),
        String(product.brand),
        Number(product.list_price),
      ]);
    }
    for (const store of seeds.stores) {
      await db.run('insert into silver.dim_store values ($1, $2, $3, $4, $5)', [
        String(store.store_id),
        String(store.name),
        String(store.city),
        String(store.region),
        String(store.channel),
      ]);
    }
    await db.run('checkpoint');
  } finally {
    db.close();
  }
  return path;
}

/** Options for {@link runStageProject}. */
export interface RunStageProjectOptions {
  /** The warehouse file to build into. */
  warehouse: string;
  /** The lake file to attach as `lake` (read only). */
  lake: string;
  /** The target folder for the artifacts. */
  targetPath: string;
  fullRefresh: boolean;
  /** The lake's clock: midnight after the newest day. */
  now: Date;
  /** What to build when no prepared project is passed; default everything `build` runs. */
  resourceTypes?: Array<'seed' | 'model' | 'snapshot' | 'test'>;
}

/**
 * Loads the stage's committed project and parses it (untimed by the callers that pass
 * the result back in), then builds every node, as `pnpm stage 5 build` does.
 */
export async function prepareStageProject(
  options: Pick<RunStageProjectOptions, 'warehouse' | 'targetPath'> & {
    /** Default everything `build` runs; the incremental scenario leaves the tests out. */
    resourceTypes?: Array<'seed' | 'model' | 'snapshot' | 'test'>;
  },
) {
  const { MartPaths, MineScope } = await import('@mart/shared');
  const stage5 = await import('@mart/stage-05-incremental');
  const paths = new MartPaths();
  const pieces = await stage5.loadIncrementalPieces(MineScope.none(), paths);
  const project = stage5.loadProject({
    projectDir: join(paths.root, 'stages', '05-incremental', 'project'),
    targetPath: options.targetPath,
    env: {},
    defaultTarget: { path: options.warehouse },
  });
  const { manifest, compiler } = stage5.buildManifest(project, { pieces, env: {} });
  const selected = stage5.selectNodes(manifest, {
    select: [],
    exclude: [],
    resourceTypes: options.resourceTypes ?? ['seed', 'model', 'snapshot', 'test'],
  });
  return { project, manifest, compiler, pieces, selected };
}

/** Builds the stage's project into `warehouse` from `lake`; returns every node's result. */
export async function runStageProject(
  options: RunStageProjectOptions,
  prepared?: Awaited<ReturnType<typeof prepareStageProject>>,
): Promise<NodeResult[]> {
  const { Database, quoteLiteral } = await import('@mart/shared');
  const { executeNodes } = await import('@mart/stage-05-incremental');
  const { project, manifest, compiler, pieces, selected } = prepared ?? (await prepareStageProject(options));
  const db = await Database.open(options.warehouse);
  try {
    await db.run(`attach ${quoteLiteral(options.lake)} as lake (read_only)`);
    const results = await executeNodes({
      db,
      project,
      manifest,
      compiler,
      pieces,
      selected,
      command: 'build',
      fullRefresh: options.fullRefresh,
      threads: 1,
      failFast: true,
      now: options.now,
      onEvent: () => {},
    });
    const failed = results.filter((result) => !['success', 'pass', 'warn'].includes(result.status));
    if (failed.length > 0) {
      throw new Error(
        `The stage 5 build failed: ${failed.map((result) => `${result.node.name}: ${result.message}`).join('; ')}`,
      );
    }
    return results;
  } finally {
    db.close();
  }
}
