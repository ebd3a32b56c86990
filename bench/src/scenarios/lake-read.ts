import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import {
  loadFileAggregate,
  loadLakeAggregate,
  openRunLake,
  preparedLakeDir,
  stageSales,
  writePreparedLake,
} from './lake-fixtures.ts';

/** The sales lines as a local Parquet file written by DuckDB: the baseline reads it, and the lake holds the same rows. */
function localFileIn(inputDir: string): string {
  return join(inputDir, 'sales.parquet');
}

/**
 * Reading the lake table back at its latest snapshot vs DuckDB reading a local Parquet
 * file of the same rows; both compute `count(*), sum(amount)`. The lake is written once
 * before timing (one commit); each run of ours starts the embedded S3 server on it
 * (untimed), then opens the catalog, finds the latest snapshot, builds the table's query
 * and downloads its data file over HTTP into an empty cache, and aggregates.
 */
export const lakeRead: Scenario = {
  name: 'lake-read',
  description: 'stage 4 read of a lake table (latest snapshot, S3 download) vs DuckDB read_parquet of a local file',
  async prepare({ rows, inputDir }) {
    await stageSales({ rows, seed: 42, path: localFileIn(inputDir) });
    await writePreparedLake(inputDir, [localFileIn(inputDir)]);
  },
  async ours(context) {
    const lake = await openRunLake(context, { serve: join(preparedLakeDir(context.inputDir), 's3') });
    const lakeAggregate = await loadLakeAggregate();
    return async ({ inputDir, report }) => {
      await lakeAggregate(lake, join(preparedLakeDir(inputDir), 'catalog.duckdb'), 'latest');
      report({ bytesMoved: lake.files.downloaded.bytes });
    };
  },
  async baseline() {
    const fileAggregate = await loadFileAggregate();
    return async ({ inputDir }) => {
      await fileAggregate(localFileIn(inputDir));
    };
  },
};
