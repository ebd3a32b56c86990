import { NotImplementedError, quoteIdentifier } from '@mart/shared';
import {
  type CheckContext,
  type CheckResult,
  checkResult,
  type FreshnessCheck,
  formatHours,
} from '@mart/stage-03-quality/given';

/**
 * Exercise: freshness — is the newest data recent enough?
 *
 * A dashboard that still shows last month is wrong without a single bad row. Take the
 * newest value of `check.column` (quoted) or of `check.expression` (SQL, used as is),
 * and its age in hours relative to `ctx.now`, the reference time (tests pin it, so
 * never read the real clock here).
 *
 *   metric 'age_hours', value = age in hours (no `rows`: a percentage means nothing),
 *   message like 'newest sale_date is 2024-12-02 00:00 UTC, 29d old',
 *
 * Measure `epoch(max(<column>))`: seconds since 1970, a number measure() can return,
 * for a DATE (its midnight, UTC), a TIMESTAMP or a TIMESTAMPTZ alike. (Casting to
 * TIMESTAMP first would shift a TIMESTAMPTZ into this machine's time zone.) An empty table has no
 * newest row: throw an Error saying so (the runner reports it as an error outcome).
 * formatHours(…) writes an age for people.
 *
 * @example
 * await checkFreshness({ type: 'freshness', table: 'orders', name: 'freshness(ordered_at)', column: 'ordered_at', fail: { max_age: '1d' } }, ctx)
 */
export async function checkFreshness(check: FreshnessCheck, ctx: CheckContext): Promise<CheckResult> {
  throw new NotImplementedError('03-quality/freshness');
}
