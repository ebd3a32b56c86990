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
  writeFloorPlan,
  writePreparedLake,
} from './lake-fixtures.ts';

function localFileIn(inputDir: string): string {
  return join(inputDir, 'sales.parquet');
}

/** The day asked for: mid-year, inside the generator's 365 days. */
const day = '2024-07-01';

/** One day's sales lines and amount, over the lake table or a local file. */
function oneDaySql(source: string): string {
  return `select count(*)::bigint as sale_lines, sum(amount)::varchar as amount from ${source} where sale_date = '${day}'`;
}

/**
 * A selective read: one day of sales out of 365 (`where sale_date = '2024-07-01'`).
 * The table is written before timing as twelve monthly appends (one commit and one
 * data file per month of the staged rows, as a lake fed month by month would be): ours
 * skips the eleven files whose sale_date min/max exclude the day, and of the twelfth
 * fetches the footer and the chunks of the two columns the query reads. Baseline: DuckDB
 * on a local Parquet file of all the rows (it skips row groups by their statistics
 * itself). Floor: raw GetObject of the same ranges of the one file, then DuckDB.
 */
export const lakeReadSelective: Scenario = {
  name: 'lake-read-selective',
  description: 'stage 4 read of one day of 365 (file pruning + ranged GETs) vs DuckDB on a local file; floor: raw SDK',
  async prepare({ rows, inputDir }) {
    await stageSales({ rows, seed: 42, path: localFileIn(inputDir) });
    const months = Array.from({ length: 12 }, (_, i) => i + 1);
    await writePreparedLake(
      inputDir,
      months.map(() => localFileIn(inputDir)),
      {
        append: true,
        rowsOf: (path, i) => `${readParquetSql(path)} where month(sale_date) = ${months[i] ?? 0}`,
      },
    );
    await writeFloorPlan(
      inputDir,
      ['sale_date', 'amount'],
      (stats) => (stats.sale_date?.min ?? '') <= day && day <= (stats.sale_date?.max ?? ''),
    );
  },
  async ours(context) {
    const lake = await openRunLake(context, { serve: join(preparedLakeDir(context.inputDir), 's3') });
    const lakeQuery = await loadLakeQuery(context);
    return async ({ inputDir, report }) => {
      const read = await lakeQuery(
        lake,
        join(preparedLakeDir(inputDir), 'catalog.duckdb'),
        oneDaySql(salesSource),
        'latest',
      );
      report({ bytesMoved: lake.files.downloaded.bytes, bytesInFiles: read.visibleBytes });
    };
  },
  async baseline() {
    const query = await loadDuckDbQuery();
    return async ({ inputDir }) => {
      await query(oneDaySql(`(${readParquetSql(localFileIn(inputDir))})`));
    };
  },
  async floor(context) {
    const floorRead = await loadFloorRead(context);
    return async ({ report }) => {
      const { bytes } = await floorRead((paths) =>
        oneDaySql(`read_parquet([${paths.map((path) => `'${path}'`).join(', ')}])`),
      );
      report({ bytesMoved: bytes });
    };
  },
};
