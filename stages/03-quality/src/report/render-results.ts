import { countOf, formatCell, renderTable } from '@mart/shared';
import { createColors } from 'picocolors';
import { formatHours } from '../given/index.ts';
import type { CheckReport, OutcomeName, QualityReport } from './report-schema.ts';

const marks: Record<OutcomeName, string> = { pass: '✓ pass', warn: '! warn', fail: '✗ fail', error: '? error' };

/** The results as a terminal table: check, table, metric, threshold, outcome. */
export function renderResults(report: QualityReport, color: boolean): string {
  const c = createColors(color);
  const paint: Record<OutcomeName, (text: string) => string> = {
    pass: c.green,
    warn: c.yellow,
    fail: c.red,
    error: c.magenta,
  };
  return renderTable(
    report.checks.map((check) => ({
      check: check.name,
      table: check.table,
      metric: describeMetric(check),
      threshold: check.threshold,
      outcome: paint[check.outcome](marks[check.outcome]),
    })),
    { color, compact: true },
  );
}

/** `missing_count 3 (12.50%)`, `age_hours 29d 4h`, or the error for a check that could not run. */
export function describeMetric(check: CheckReport): string {
  if (check.value === null) return '—';
  const value = check.metric === 'age_hours' ? formatHours(check.value) : formatCell(check.value);
  const percent = check.percent === null ? '' : ` (${formatCell(check.percent)}%)`;
  return `${check.metric} ${value}${percent}`;
}

/** `12 checks: 10 pass, 1 warn, 1 fail, 0 error` */
export function summaryLine(report: QualityReport): string {
  const { total, pass, warn, fail, error } = report.summary;
  return `${countOf(total, 'check')}: ${pass} pass, ${warn} warn, ${fail} fail, ${error} error`;
}

/** The checks that are not `pass`, one line each with their message, worst first. */
export function problemLines(report: QualityReport): string[] {
  const order: OutcomeName[] = ['error', 'fail', 'warn'];
  return order.flatMap((outcome) =>
    report.checks
      .filter((check) => check.outcome === outcome)
      .map(
        (check) =>
          `${outcome.padEnd(5)} ${check.id}: ${check.message}${check.sample_file ? ` (rows: ${check.sample_file})` : ''}`,
      ),
  );
}
