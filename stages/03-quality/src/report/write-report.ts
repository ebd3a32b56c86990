import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, type MartPaths, toCsv } from '@mart/shared';
import type { CheckResult } from '../given/index.ts';
import type { QualityReport } from './report-schema.ts';

/** data/quality/: one folder per run. */
export function qualityDir(paths: MartPaths): string {
  return join(paths.data, 'quality');
}

/**
 * A new, empty run folder data/quality/<run-id>/. Run ids are the start time
 * (UTC, sortable, safe in file names), e.g. 2026-11-29T17-30-05-123Z.
 */
export function createRunDir(paths: MartPaths, started: Date): { runId: string; dir: string } {
  const base = started.toISOString().replace(/[:.]/g, '-');
  let runId = base;
  for (let n = 2; existsSync(join(qualityDir(paths), runId)); n++) runId = `${base}-${n}`;
  const dir = join(qualityDir(paths), runId);
  mkdirSync(join(dir, 'samples'), { recursive: true });
  return { runId, dir };
}

/**
 * Where a check's sample lives, relative to the run folder: `samples/<table>.<check>.csv`,
 * the check's id with anything but letters, digits and `_ . -` turned into `-`, so it is
 * a safe file name everywhere.
 *
 * @example
 * sampleFileName(result) // fact_sales.range(quantity) → 'samples/fact_sales.range-quantity.csv'
 */
export function sampleFileName(result: Pick<CheckResult, 'id'>): string {
  return `samples/${result.id.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/-+$/, '')}.csv`;
}

/**
 * For each warned or failed check that can list its offending rows, the first `limit`
 * of them as CSV under samples/. Returns id → { file, rows }.
 */
export async function writeSamples(
  db: Database,
  dir: string,
  results: readonly CheckResult[],
  limit: number,
): Promise<Map<string, { file: string; rows: number }>> {
  const written = new Map<string, { file: string; rows: number }>();
  const taken = new Set<string>();
  for (const result of results) {
    if ((result.outcome !== 'fail' && result.outcome !== 'warn') || !result.failingRows) continue;
    const { sql, params = [] } = result.failingRows;
    let rows: Record<string, unknown>[];
    try {
      // The newline ends a `-- comment` a check's query may end with (it would swallow the `)`).
      rows = await db.all(
        `select * from (\n${sql}\n) limit ${Math.floor(limit)}`,
        params.length > 0 ? params : undefined,
      );
    } catch {
      continue; // the check itself ran; a sample is a bonus, never a reason to fail the run
    }
    if (rows.length === 0) continue;
    // Two ids can make one file name (`range(q)` and `range-q`): the second gets `-2`.
    let file = sampleFileName(result);
    for (let n = 2; taken.has(file); n++) file = sampleFileName(result).replace(/\.csv$/, `-${n}.csv`);
    taken.add(file);
    writeFileSync(join(dir, file), toCsv(rows));
    written.set(result.id, { file, rows: rows.length });
  }
  return written;
}

/** report.json (the stable, machine-readable one) and report.csv (one row per check). */
export function writeReport(dir: string, report: QualityReport): void {
  writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const columns = [
    'table',
    'name',
    'type',
    'metric',
    'value',
    'percent',
    'threshold',
    'outcome',
    'message',
    'sample_file',
  ];
  const rows = report.checks.map((check) => ({ run_id: report.run_id, ...check }));
  writeFileSync(join(dir, 'report.csv'), toCsv(rows, ['run_id', ...columns]));
}
