import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAtomically, type Database, quoteIdentifier, quoteLiteral } from '@mart/shared';
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
  const dir = mkdtempSync(join(tmpdir(), 'mart-serving-'));
  try {
    const tables: [string, string][] = [
      ...silverTables.map((name): [string, string] => [name, allRowsOf(name)]),
      ...Object.entries(goldMarts).map(([name, sql]): [string, string] => [goldServingName(name), sql]),
    ];
    for (const [name, sql] of tables) {
      await db.run(`copy (${sql}) to ${quoteLiteral(join(dir, `${name}.parquet`))} (format parquet)`);
    }
    await buildAtomically(target, async (serving) => {
      for (const [name] of tables) {
        await serving.run(
          `create table ${quoteIdentifier(name)} as select * from read_parquet(${quoteLiteral(join(dir, `${name}.parquet`))})`,
        );
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
