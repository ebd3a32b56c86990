import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MartPaths } from '@mart/shared';
import { type QualityReport, reportSchema } from './report-schema.ts';
import { qualityDir } from './write-report.ts';

/** One earlier run, newest first; `report` is undefined when its report.json is unreadable. */
export interface PastRun {
  runId: string;
  report: QualityReport | undefined;
}

/** Every run folder under data/quality/, newest first. */
export function readHistory(paths: MartPaths): PastRun[] {
  const dir = qualityDir(paths);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .reverse()
    .map((runId) => ({ runId, report: readReport(join(dir, runId, 'report.json')) }));
}

function readReport(path: string): QualityReport | undefined {
  try {
    const parsed = reportSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
