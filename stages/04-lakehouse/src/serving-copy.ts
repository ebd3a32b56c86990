import { buildAttachedAtomically, type Database, quoteIdentifier } from '@mart/shared';
import { goldMarts } from './gold/gold-marts.ts';
import { allRowsOf } from './publish-tables.ts';
import { silverTables } from './silver/build-silver.ts';

/** A gold mart's table in the serving copy: `gold_revenue_by_month`, beside silver's star schema. */
export function goldServingName(mart: string): string {
  return `gold_${mart}`;
}

/** The gold tables of the serving copy, e.g. for stage 1's export. */
export const goldServingTables: readonly string[] = Object.keys(goldMarts).map(goldServingName);

/**
 * Copies silver's star schema and the gold marts from the session's memory into a
 * warehouse file (data/warehouse/stage-04.duckdb), atomically: stage 1's explore, export
 * and inspect read it as they read stage 1's warehouse.
 *
 * @example
 * await writeServingCopy(session.db, paths.warehouse(4));
 */
export async function writeServingCopy(db: Database, target: string): Promise<void> {
  const tables: [string, string][] = [
    ...silverTables.map((name): [string, string] => [name, allRowsOf(name)]),
    ...Object.entries(goldMarts).map(([name, sql]): [string, string] => [goldServingName(name), sql]),
  ];
  // Straight from the session's tables into the new file: no second DuckDB, no files between.
  await buildAttachedAtomically(db, target, servingAlias, async () => {
    for (const [name, sql] of tables) {
      await db.run(`create table ${quoteIdentifier(servingAlias)}.main.${quoteIdentifier(name)} as ${sql}`);
    }
  });
}

/** The name the serving copy is attached under while it is written. */
const servingAlias = '__serving';
