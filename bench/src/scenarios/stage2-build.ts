import { join } from 'node:path';
import type { Scenario } from '../scenario.ts';

/** The four files stage 2 loads; the baseline loads the same ones. */
const tables = ['customers', 'products', 'stores', 'sales'];

/**
 * The stage 2 build (`pnpm stage 2 build`) on a generated dataset. Ours checks every
 * file, stages it as text, types and validates each row, marks duplicates and orphans,
 * loads the star schema and reconciles. The baseline is the floor under all that: DuckDB
 * reading the same four files into tables with its own type detection, no checks.
 */
export const stage2Build: Scenario = {
  name: 'stage2-build',
  description: 'stage 2 build (checks, rejects, star schema) vs DuckDB read_csv into four tables',
  async prepare({ rows, inputDir }) {
    const { generateDataset } = await import('@mart/shared');
    generateDataset({ rows, seed: 42, outDir: inputDir });
  },
  async ours() {
    const { buildAtomically } = await import('@mart/shared');
    const { MartPaths, MineScope } = await import('@mart/shared');
    const { loadStarSchemaPieces } = await import('@mart/stage-01-star-schema');
    const { loadCsvPieces, loadCsvWarehouse, readInputs } = await import('@mart/stage-02-csv-loads');
    const paths = new MartPaths();
    const pieces = await loadCsvPieces(MineScope.none(), paths);
    const starPieces = await loadStarSchemaPieces(MineScope.none(), paths);
    return async ({ inputDir, runDir }) => {
      // Timed from the file checks on, as `pnpm stage 2 build` does its work.
      const inputs = readInputs(inputDir, pieces);
      await buildAtomically(join(runDir, 'warehouse.duckdb'), (db) =>
        loadCsvWarehouse(db, inputs, { pieces, starPieces, maxRejectRate: 0.1 }),
      );
    };
  },
  async baseline() {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    return async ({ inputDir, runDir }) => {
      const instance = await DuckDBInstance.create(join(runDir, 'warehouse.duckdb'));
      const connection = await instance.connect();
      try {
        for (const table of tables) {
          const path = join(inputDir, `${table}.csv`).replaceAll("'", "''");
          await connection.run(`create table ${table} as select * from read_csv('${path}', header = true)`);
        }
        // Ours checkpoints before its rename; so does the baseline, to write the same way.
        await connection.run('checkpoint');
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    };
  },
};
