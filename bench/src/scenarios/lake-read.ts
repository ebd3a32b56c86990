import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import {
  loadDuckDbQuery,
  loadFloorRead,
  loadLakeQuery,
  openRunLake,
  preparedLakeDir,
  readParquetSql,
  salesSource,
  stageSales,
  twoColumnAggregateSql,
  writeFloorPlan,
  writePreparedLake,
} from './lake-fixtures.ts';

/** The sales lines as a local Parquet file written by DuckDB: the baseline reads it, and the lake holds the same rows. */
function localFileIn(inputDir: string): string {
  return join(inputDir, 'sales.parquet');
}

/** The columns the aggregate reads: what ours fetches and the floor's plan lists. */
const columnsRead = ['quantity', 'amount'];

/**
 * A cold read: an aggregate over two of the table's nine columns (`sum(quantity),
 * sum(amount)`) at the latest snapshot, into an empty cache, as `pnpm stage 4 query`
 * runs it: ours fetches the data file's footer, then only those two columns' chunks.
 * The lake is written once before timing (one commit, one file). Baseline: DuckDB on a
 * local Parquet file of the same rows. Floor: raw GetObject of the same byte ranges
 * (footer and the two columns' chunks, planned untimed) into a sparse local file, then
 * DuckDB on it.
 */
export const lakeRead: Scenario = {
  name: 'lake-read',
  description:
    'stage 4 cold read, 2 of 9 columns (S3 ranged GETs) vs DuckDB on a local file; floor: raw SDK GETs + DuckDB',
  async prepare({ rows, inputDir }) {
    await stageSales({ rows, seed: 42, path: localFileIn(inputDir) });
    await writePreparedLake(inputDir, [localFileIn(inputDir)]);
    await writeFloorPlan(inputDir, columnsRead);
  },
  async ours(context) {
    const lake = await openRunLake(context, { serve: join(preparedLakeDir(context.inputDir), 's3') });
    const lakeQuery = await loadLakeQuery(context);
    return async ({ inputDir, report }) => {
      const read = await lakeQuery(
        lake,
        join(preparedLakeDir(inputDir), 'catalog.duckdb'),
        twoColumnAggregateSql(salesSource),
        'latest',
      );
      report({ bytesMoved: lake.files.downloaded.bytes, bytesInFiles: read.visibleBytes });
    };
  },
  async baseline() {
    const query = await loadDuckDbQuery();
    return async ({ inputDir }) => {
      await query(twoColumnAggregateSql(`(${readParquetSql(localFileIn(inputDir))})`));
    };
  },
  async floor(context) {
    const floorRead = await loadFloorRead(context);
    return async ({ report }) => {
      const { bytes } = await floorRead(([path = '']) => twoColumnAggregateSql(`(${readParquetSql(path)})`));
      report({ bytesMoved: bytes });
    };
  },
};
