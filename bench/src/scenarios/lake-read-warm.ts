import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import {
  loadDuckDbQuery,
  loadLakeQuery,
  openRunLake,
  preparedLakeDir,
  readParquetSql,
  salesSource,
  stageSales,
  twoColumnAggregateSql,
  writePreparedLake,
} from './lake-fixtures.ts';

function localFileIn(inputDir: string): string {
  return join(inputDir, 'sales.parquet');
}

/**
 * A warm read: the same two-column aggregate as lake-read, run once before the clock,
 * so the cache holds what it reads and the query's plan is saved, as after a first
 * `pnpm stage 4 query`. Ours then checks the catalog file is unchanged, reads the saved
 * plan, creates its view in a new in-memory DuckDB and runs the query on the cached
 * file; neither the catalog nor the network is touched, and, as in the command, no S3
 * server runs. Baseline: DuckDB on a local Parquet file of the same rows, also run once
 * before the clock.
 */
export const lakeReadWarm: Scenario = {
  name: 'lake-read-warm',
  description: 'stage 4 warm read (cache filled), 2 of 9 columns vs DuckDB read_parquet of a local file',
  async prepare({ rows, inputDir }) {
    await stageSales({ rows, seed: 42, path: localFileIn(inputDir) });
    await writePreparedLake(inputDir, [localFileIn(inputDir)]);
  },
  async ours(context) {
    const lake = await openRunLake(context, { serve: join(preparedLakeDir(context.inputDir), 's3') });
    const lakeQuery = await loadLakeQuery(context);
    const catalog = join(preparedLakeDir(context.inputDir), 'catalog.duckdb');
    // Untimed: fills the cache and saves the plan.
    await lakeQuery(lake, catalog, twoColumnAggregateSql(salesSource), 'latest');
    const before = lake.files.downloaded.bytes;
    // A query the saved plan answers starts no S3 server (see queryLake): nor does this
    // run keep one going, whose idle sockets and timers cost about 3 ms of the query here.
    await lake.close();
    return async ({ report }) => {
      const read = await lakeQuery(lake, catalog, twoColumnAggregateSql(salesSource), 'latest');
      if (!read.fromPlan) throw new Error('The warm read was not answered by the plan the first read saved.');
      report({ bytesMoved: lake.files.downloaded.bytes - before, bytesInFiles: read.visibleBytes });
    };
  },
  async baseline({ inputDir }) {
    const query = await loadDuckDbQuery();
    const sql = twoColumnAggregateSql(`(${readParquetSql(localFileIn(inputDir))})`);
    // Untimed, as ours fills its cache: the first DuckDB of a process pays its one-time
    // start-up (about 10 ms here), which ours has paid by then too.
    await query(sql);
    return async () => {
      await query(sql);
    };
  },
};
