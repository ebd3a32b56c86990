import { existsSync } from 'node:fs';
import { CliError } from '../errors.ts';
import type { MartPaths } from '../paths.ts';
import { Database } from './database.ts';

/**
 * Opens a stage's built warehouse read-only, or explains how to build it first.
 *
 * @example
 * const db = await openWarehouse(paths, 1); // data/warehouse/stage-01.duckdb
 */
export async function openWarehouse(paths: MartPaths, stage: number): Promise<Database> {
  const path = paths.warehouse(stage);
  if (!existsSync(path)) {
    throw new CliError(`Stage ${stage} has no warehouse yet (${paths.shown(path)}).`, {
      hint: `Build it first: pnpm stage ${stage} build`,
    });
  }
  return Database.open(path, { readOnly: true });
}
