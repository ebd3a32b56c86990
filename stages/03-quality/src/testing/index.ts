// Helpers for stage 3's tests and the graded exercise tests: run one check piece through
// the real runner (batched measure(), errors as `error` results) against any database.
import { type Database, MartPaths, MineScope } from '@mart/shared';
import type { Check, CheckContext, CheckResult } from '../given/index.ts';
import { loadQualityPieces, type QualityPieces } from '../pieces.ts';
import { runTableChecks } from '../run/run-table-checks.ts';

/** A pinned "now" for tests: 2024-12-31T00:00:00Z. */
export const pinnedNow = new Date('2024-12-31T00:00:00Z');

/**
 * Runs `piece` on `check` exactly as `pnpm stage 3 quality` would: its measurements are
 * batched into one query on `check.table`, and a thrown error becomes an `error` result.
 * Also returns how many measuring queries ran and the rows `failingRows` selects.
 *
 * @example
 * const { result, failingRows } = await runPiece(db, check, checkNotNull);
 */
export async function runPiece<C extends Check>(
  db: Database,
  check: C,
  piece: (check: C, ctx: CheckContext) => Promise<CheckResult>,
  now: Date = pinnedNow,
): Promise<{ result: CheckResult; queries: number; failingRows: Record<string, unknown>[] | undefined }> {
  const { results, queries } = await runTableChecks(db, check.table, [check], (c, ctx) => piece(c as C, ctx), now);
  const result = results[0] as CheckResult;
  let failingRows: Record<string, unknown>[] | undefined;
  if (result.failingRows) {
    const { sql, params = [] } = result.failingRows;
    failingRows = await db.all(sql, params.length > 0 ? params : undefined);
  }
  return { result, queries, failingRows };
}

/**
 * Stage 3's reference check pieces (solutions/03-quality), for tests that run the runner.
 *
 * @example
 * await runChecks(db, checks, { pieces: await referenceQualityPieces(), now });
 */
export function referenceQualityPieces(): Promise<QualityPieces> {
  return loadQualityPieces(MineScope.none(), new MartPaths());
}
