import { UsageError } from '@mart/shared';
import type { Check } from '../given/index.ts';

/**
 * `--select` keeps the checks of one table (`fact_sales`), one check by name
 * (`not_null(email)`) or by id (`dim_customer.not_null(email)`), or one check type
 * (`freshness`). Several selectors: comma-separated. Nothing matching is a usage error
 * that lists what exists.
 */
export function selectChecks(checks: readonly Check[], select: string | undefined): Check[] {
  if (select === undefined) return [...checks];
  const selectors = select
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const chosen = checks.filter((check) =>
    selectors.some(
      (selector) =>
        selector === check.table ||
        selector === check.name ||
        selector === check.type ||
        selector === `${check.table}.${check.name}`,
    ),
  );
  if (chosen.length === 0) {
    const tables = [...new Set(checks.map((check) => check.table))];
    throw new UsageError(`--select ${select} matches no check.`, {
      hint: `Select a table (${tables.join(', ')}), a check name such as ${checks[0]?.name ?? 'row_count'}, or a type such as freshness.`,
    });
  }
  return chosen;
}
