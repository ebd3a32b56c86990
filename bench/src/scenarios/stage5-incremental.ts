import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutedStatement } from '@mart/stage-05-incremental';
import type { Scenario } from '../scenario.ts';
import { addDays, firstDay, prepareStageProject, runStageProject, writeLakeDb } from './stage5-fixtures.ts';

const days = 365;
const clockAfter = (count: number) => new Date(`${addDays(firstDay, count)}T00:00:00Z`);

/**
 * Stage 5's promise: one new night costs a small part of rebuilding everything. A year
 * of nightly batches (`--rows` sale lines in all) is in the lake and built; day 365
 * arrives. Ours builds the project incrementally (stg_sales merges the night's lines,
 * fct_sales rebuilds the days they touch, daily_revenue re-runs two monthly batches);
 * the baseline is the same runner doing a full refresh of the same models from the same
 * lake. Seeds, models and snapshots, without the tests: a test reads its whole table in
 * either run, so it measures the table, not incrementality. Target: ours ≤ 5%.
 *
 * The floor is what that one night costs DuckDB with no runner: the statements ours
 * executed that night (recorded once while preparing, from each node's executed SQL with
 * its bound values), run raw in the same order, one transaction per node as ours, on a
 * copy of the same warehouse, opened and closed (checkpointed) like ours. No compile, no
 * catalog look-ups, no unique-key checks, no run state: ours ÷ floor is the runner's
 * price on an incremental night, and floor ÷ full refresh is the least the 5% can be.
 */
const built = ['seed', 'model', 'snapshot'] as Array<'seed' | 'model' | 'snapshot'>;
export const stage5Incremental: Scenario = {
  name: 'stage5-incremental',
  description:
    'stage 5 build after one new day (incremental) vs a full refresh of the same project, 365 days in the lake',
  async prepare({ rows, inputDir }) {
    const before = await writeLakeDb({ dir: inputDir, days: days - 1, rows: Math.round((rows * (days - 1)) / days) });
    await writeLakeDb({ dir: inputDir, days, rows });
    // The warehouse as it stood the night before: everything built from 364 days.
    await runStageProject({
      warehouse: join(inputDir, 'warehouse.duckdb'),
      lake: before,
      targetPath: join(inputDir, 'target'),
      fullRefresh: true,
      now: clockAfter(days - 1),
    });
    // One incremental night, untimed, to record what it executes (see the floor).
    // Its own folder: the file's name is the database's name in the compiled SQL.
    mkdirSync(join(inputDir, 'recorded'));
    const recording = join(inputDir, 'recorded', 'warehouse.duckdb');
    copyFileSync(join(inputDir, 'warehouse.duckdb'), recording);
    const results = await runStageProject({
      warehouse: recording,
      lake: join(inputDir, `lake-${days}.duckdb`),
      targetPath: join(inputDir, 'recorded', 'target'),
      fullRefresh: false,
      now: clockAfter(days),
      resourceTypes: built,
    });
    const nodes = results.map((result) => result.executedSql).filter((statements) => statements.length > 0);
    writeFileSync(join(inputDir, 'night.json'), JSON.stringify(nodes));
    writeFileSync(join(inputDir, 'ready'), 'yes\n');
  },
  async ours({ inputDir, runDir }) {
    const warehouse = join(runDir, 'warehouse.duckdb');
    copyFileSync(join(inputDir, 'warehouse.duckdb'), warehouse);
    const prepared = await prepareStageProject({ warehouse, targetPath: join(runDir, 'target'), resourceTypes: built });
    return async () => {
      await runStageProject(
        {
          warehouse,
          lake: join(inputDir, `lake-${days}.duckdb`),
          targetPath: join(runDir, 'target'),
          fullRefresh: false,
          now: clockAfter(days),
        },
        prepared,
      );
    };
  },
  async floor({ inputDir, runDir }) {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const nodes = JSON.parse(readFileSync(join(inputDir, 'night.json'), 'utf8')) as ExecutedStatement[][];
    const warehouse = join(runDir, 'warehouse.duckdb');
    copyFileSync(join(inputDir, 'warehouse.duckdb'), warehouse);
    const lake = join(inputDir, `lake-${days}.duckdb`).replaceAll("'", "''");
    return async () => {
      const instance = await DuckDBInstance.create(warehouse);
      const connection = await instance.connect();
      try {
        await connection.run(`attach '${lake}' as lake (read_only)`);
        for (const statements of nodes) {
          await connection.run('begin transaction');
          for (const { sql, params } of statements) await connection.run(sql, params);
          await connection.run('commit');
        }
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
  },
  async baseline({ inputDir, runDir }) {
    const warehouse = join(runDir, 'warehouse.duckdb');
    const prepared = await prepareStageProject({ warehouse, targetPath: join(runDir, 'target'), resourceTypes: built });
    return async () => {
      await runStageProject(
        {
          warehouse,
          lake: join(inputDir, `lake-${days}.duckdb`),
          targetPath: join(runDir, 'target'),
          fullRefresh: true,
          now: clockAfter(days),
        },
        prepared,
      );
    };
  },
};
