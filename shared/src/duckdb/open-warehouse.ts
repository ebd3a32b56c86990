import { existsSync } from 'node:fs';
import { CliError } from '../errors.ts';
import { warehousePath } from '../paths.ts';
import { Database } from './database.ts';

/**
 * Opens a stage's built warehouse read-only, or explains how to build it first.
 *
 * @example
 * const db = await openWarehouse(1); // data/warehouse/stage-01.duckdb
 */
export async function openWarehouse(stage: number): Promise<Database> {
  const path = warehousePath(stage);
  if (!existsSync(path)) {
    throw new CliError(`Stage ${stage} has no warehouse yet (${path}).`, {
      hint: `Build it first: pnpm stage ${stage} build`,
    });
  }
  return Database.open(path, { readOnly: true });
}
