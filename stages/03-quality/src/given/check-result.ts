// Given (not an exercise): turning a measurement and a check's thresholds into a result.
// Every check, yours and the runner's, ends with checkResult(), so all outcomes follow
// the same rules.
import type { Check, CheckResult, Measurement, Outcome, Threshold } from './types.ts';

/** When a check declares neither `fail` nor `warn`: any offending row fails it (dbt's default). */
export const defaultFail: Threshold = { max: 0 };

/**
 * The outcome of a measurement: `fail` when it breaks the fail threshold, else `warn`
 * when it breaks the warn threshold, else `pass`. Bounds are inclusive.
 *
 * @example
 * checkResult(check, { metric: 'missing_count', value: 3, rows: 24, message: '3 of 24 rows have no email' })
 */
export function checkResult(check: Check, measurement: Measurement): CheckResult {
  const fail = check.fail ?? (check.warn ? undefined : defaultFail);
  const percent =
    measurement.rows === undefined ? null : measurement.rows === 0 ? 0 : (100 * measurement.value) / measurement.rows;
  let outcome: Outcome = 'pass';
  if (fail && breaks(fail, measurement.value, percent)) outcome = 'fail';
  else if (check.warn && breaks(check.warn, measurement.value, percent)) outcome = 'warn';
  return {
    id: `${check.table}.${check.name}`,
    name: check.name,
    table: check.table,
    type: check.type,
    metric: measurement.metric,
    value: measurement.value,
    percent,
    threshold: describeThresholds(fail, check.warn),
    outcome,
    message: measurement.message,
    ...(measurement.failingRows ? { failingRows: measurement.failingRows } : {}),
  };
}

/** The result of a check that could not run (unknown column, bad SQL…): outcome `error`. */
export function errorResult(check: Check, message: string): CheckResult {
  const fail = check.fail ?? (check.warn ? undefined : defaultFail);
  return {
    id: `${check.table}.${check.name}`,
    name: check.name,
    table: check.table,
    type: check.type,
    metric: '',
    value: null,
    percent: null,
    threshold: describeThresholds(fail, check.warn),
    outcome: 'error',
    message,
  };
}

/** Does `value` (or its percentage of rows) break the threshold? */
export function breaks(threshold: Threshold, value: number, percent: number | null): boolean {
  if (threshold.min !== undefined && value < threshold.min) return true;
  if (threshold.max !== undefined && value > threshold.max) return true;
  if (threshold.max_percent !== undefined && percent !== null && percent > threshold.max_percent) return true;
  if (threshold.max_age !== undefined && value > durationHours(threshold.max_age)) return true;
  return false;
}

const hoursPer: Record<string, number> = { m: 1 / 60, h: 1, d: 24, w: 168 };

/**
 * A duration such as `30m`, `36h`, `7d` or `2w` in hours.
 *
 * @example
 * durationHours('2d') // → 48
 */
export function durationHours(duration: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([mhdw])$/.exec(duration.trim());
  if (!match) throw new Error(`"${duration}" is not a duration: write a number and m, h, d or w, like 36h or 7d.`);
  return Number(match[1]) * (hoursPer[match[2] as string] ?? 1);
}

/** Hours as the largest whole unit that fits: 50 → `2d 2h`, 0.5 → `30m`. */
export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)}m`;
  const days = Math.floor(hours / 24);
  const rest = Math.round(hours - days * 24);
  if (days === 0) return `${rest}h`;
  return rest === 0 ? `${days}d` : `${days}d ${rest}h`;
}

/** `fail if > 0; warn if > 5%`: the thresholds as people read them. */
export function describeThresholds(fail: Threshold | undefined, warn: Threshold | undefined): string {
  const parts: string[] = [];
  if (fail) parts.push(`fail if ${describeThreshold(fail)}`);
  if (warn) parts.push(`warn if ${describeThreshold(warn)}`);
  return parts.join('; ');
}

function describeThreshold(threshold: Threshold): string {
  const broken: string[] = [];
  if (threshold.min !== undefined) broken.push(`< ${threshold.min}`);
  if (threshold.max !== undefined) broken.push(`> ${threshold.max}`);
  if (threshold.max_percent !== undefined) broken.push(`> ${threshold.max_percent}%`);
  if (threshold.max_age !== undefined) broken.push(`older than ${threshold.max_age}`);
  return broken.join(' or ');
}
