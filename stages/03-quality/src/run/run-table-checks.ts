import { type Database, NotImplementedError } from '@mart/shared';
import { type Check, type CheckContext, type CheckResult, errorResult } from '../given/index.ts';
import { TableMeasurements } from './table-measurements.ts';

/** Runs one check (the dispatcher in run-check.ts). */
export type CheckRunner = (check: Check, ctx: CheckContext) => Promise<CheckResult>;

/**
 * Runs every check of one table. The checks run concurrently and each `await`s its
 * measurements; whenever they are all waiting, the table's pending measurements are
 * computed together in one query (usually a single scan for the whole table).
 * A check that throws becomes an `error` result with the reason; the others go on.
 */
export async function runTableChecks(
  db: Database,
  table: string,
  checks: readonly Check[],
  runCheck: CheckRunner,
  now: Date,
): Promise<{ results: CheckResult[]; queries: number }> {
  const measurements = new TableMeasurements(db, table);
  const ctx: CheckContext = {
    measure: measurements.measure,
    query: (sql, params) => db.all(sql, params),
    now,
  };
  const all = Promise.all(
    checks.map((check) =>
      runCheck(check, ctx).catch((error: unknown) => {
        // An untouched exercise (--mine) stops the run with its hint, like every stage.
        if (error instanceof NotImplementedError) throw error;
        return errorResult(check, error instanceof Error ? error.message : String(error));
      }),
    ),
  );
  let done = false;
  const finished = all.then(() => {
    done = true;
  });
  while (!done) {
    await Promise.race([finished, measurements.requested()]);
    if (done) break;
    // Let every other check reach its next measure() before computing the batch.
    await new Promise((resolve) => setImmediate(resolve));
    await measurements.flush();
  }
  return { results: await all, queries: measurements.queries };
}
