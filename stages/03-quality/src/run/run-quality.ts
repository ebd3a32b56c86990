import { relative } from 'node:path';
import type { Database, MartPaths } from '@mart/shared';
import type { ChecksFile } from '../checks-file/read-checks-file.ts';
import type { CheckResult, Outcome } from '../given/index.ts';
import type { QualityPieces } from '../pieces.ts';
import type { QualityReport } from '../report/report-schema.ts';
import { createRunDir, writeReport, writeSamples } from '../report/write-report.ts';
import { runChecks } from './run-checks.ts';
import { selectChecks } from './select-checks.ts';

export interface QualityRunOptions {
  /** The warehouse file checked, for the report. */
  warehouse: string;
  checksFile: ChecksFile;
  pieces: QualityPieces;
  command: 'quality' | 'build';
  select?: string | undefined;
  /** Reference time: --now, else the checks file's reference_time, else the clock. */
  now?: Date | undefined;
  /** The learner's check pieces ran (`--mine`), for the report. */
  mine?: boolean;
  /** Where the report goes (`data/quality/`) and what paths in it are relative to. */
  paths: MartPaths;
}

export interface QualityRun {
  runId: string;
  /** data/quality/<run-id>/ */
  dir: string;
  report: QualityReport;
  results: CheckResult[];
  measureQueries: number;
}

/** Exit codes: 0 all pass, 1 some warn, 2 some fail, 3 some check could not run. */
export const exitCodes: Record<Outcome, number> = { pass: 0, warn: 1, fail: 2, error: 3 };

/**
 * One quality run: select checks, run them (one scan per table), sample failing rows,
 * and write report.json, report.csv and samples/ to data/quality/<run-id>/.
 */
export async function runQuality(db: Database, options: QualityRunOptions): Promise<QualityRun> {
  const started = new Date();
  const now = options.now ?? options.checksFile.referenceTime ?? started;
  const checks = selectChecks(options.checksFile.checks, options.select);
  const { results, measureQueries } = await runChecks(db, checks, { pieces: options.pieces, now });
  const { runId, dir } = createRunDir(options.paths, started);
  const samples = await writeSamples(db, dir, results, options.checksFile.sampleRows);

  const summary = { total: results.length, pass: 0, warn: 0, fail: 0, error: 0 };
  for (const result of results) summary[result.outcome] += 1;
  const outcome = worstOutcome(results);
  const report: QualityReport = {
    schema_version: 1,
    run_id: runId,
    command: options.command,
    started_at: started.toISOString(),
    duration_ms: Math.round(Date.now() - started.getTime()),
    reference_time: now.toISOString(),
    warehouse: repoRelative(options.paths, options.warehouse),
    checks_file: repoRelative(options.paths, options.checksFile.path),
    select: options.select ?? null,
    mine: options.mine ?? false,
    outcome,
    exit_code: exitCodes[outcome],
    published: null,
    summary,
    checks: results.map((result) => ({
      id: result.id,
      name: result.name,
      table: result.table,
      type: result.type,
      metric: result.metric,
      value: result.value,
      percent: result.percent === null ? null : Math.round(result.percent * 100) / 100,
      threshold: result.threshold,
      outcome: result.outcome,
      message: result.message,
      sample_file: samples.get(result.id)?.file ?? null,
      sample_rows: samples.get(result.id)?.rows ?? null,
    })),
  };
  writeReport(dir, report);
  return { runId, dir, report, results, measureQueries };
}

/** error beats fail beats warn beats pass. */
export function worstOutcome(results: readonly CheckResult[]): Outcome {
  let worst: Outcome = 'pass';
  for (const result of results) if (exitCodes[result.outcome] > exitCodes[worst]) worst = result.outcome;
  return worst;
}

/** Paths inside the repository are reported relative to it, so reports compare across machines. */
function repoRelative(paths: MartPaths, path: string): string {
  const inside = relative(paths.root, path);
  return inside.startsWith('..') || inside === '' ? path : inside;
}
