import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';
import {
  loadDuckDbQuery,
  loadLakeQuery,
  openRunLake,
  preparedLakeDir,
  readParquetSql,
  salesAggregateSql,
  salesSource,
  stageSales,
  writePreparedLake,
} from './lake-fixtures.ts';

/** The first version of the table (seed 42): the baseline reads this local copy. */
function olderFileIn(inputDir: string): string {
  return join(inputDir, 'sales-older.parquet');
}

/** The rows that replace it in the second commit (seed 43). */
function newerFileIn(inputDir: string): string {
  return join(inputDir, 'sales-newer.parquet');
}

/**
 * Time travel: the lake table is written twice before timing (rows of seed 42, then
 * replaced by rows of seed 43 in a second commit: endTableFiles + insertRows), and ours
 * reads the OLDER snapshot, as `pnpm stage 4 query "…" --at N` does; only that
 * snapshot's file is read (its footer and the one column the query reads). The
 * baseline reads a local Parquet copy of the older rows. Both compute `count(*),
 * sum(amount)`.
 */
export const lakeTimeTravel: Scenario = {
  name: 'lake-time-travel',
  description: 'stage 4 read of an older snapshot (time travel, S3 ranged GETs) vs DuckDB read_parquet of a local copy',
  async prepare({ rows, inputDir }) {
    await stageSales({ rows, seed: 42, path: olderFileIn(inputDir) });
    await stageSales({ rows, seed: 43, path: newerFileIn(inputDir) });
    await writePreparedLake(inputDir, [olderFileIn(inputDir), newerFileIn(inputDir)]);
  },
  async ours(context) {
    const lake = await openRunLake(context, { serve: join(preparedLakeDir(context.inputDir), 's3') });
    const [older] = JSON.parse(readFileSync(join(preparedLakeDir(context.inputDir), 'snapshots.json'), 'utf8')) as [
      number,
      number,
    ];
    const lakeQuery = await loadLakeQuery(context);
    return async ({ inputDir, report }) => {
      const read = await lakeQuery(
        lake,
        join(preparedLakeDir(inputDir), 'catalog.duckdb'),
        salesAggregateSql(salesSource),
        older,
      );
      report({ bytesMoved: lake.files.downloaded.bytes, bytesInFiles: read.visibleBytes });
    };
  },
  async baseline() {
    const query = await loadDuckDbQuery();
    return async ({ inputDir }) => {
      await query(salesAggregateSql(`(${readParquetSql(olderFileIn(inputDir))})`));
    };
  },
};
