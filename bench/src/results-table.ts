import { renderTable } from '@mart/shared';
import type { ScenarioResult } from './scenario-result.ts';

/**
 * One row per scenario (per variant of ours, for scenarios with variants): times in
 * seconds, memory in MiB, and the two ratios (ours ÷ DuckDB). When a scenario reports its
 * steps (assets, statements), two columns show the median time per step of each side.
 * Scenarios with a physical floor add its time and ours ÷ floor. When a scenario reports
 * the bytes ours moved to or from storage, a column shows them in MiB, and, for reads,
 * the next one what share of the table's files that is (blank for the scenarios that do not).
 */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const withBytes = results.some((result) => result.ours.bytesMoved !== undefined);
  const withFloor = results.some((result) => result.floor !== undefined);
  const withShare = results.some((result) => result.ours.bytesInFiles !== undefined);
  const withSteps = results.some((result) => result.ours.msPerStep !== undefined);
  return renderTable(
    results.map((result) => ({
      scenario: result.variant === undefined ? result.name : `${result.name} (${result.variant})`,
      'ours (s)': result.ours.medianMs / 1000,
      'duckdb (s)': result.baseline.medianMs / 1000,
      'time ratio': result.timeRatio,
      ...(withSteps
        ? {
            'ours ms/step': result.ours.msPerStep ?? null,
            'duckdb ms/step': result.baseline.msPerStep ?? null,
          }
        : {}),
      ...(withFloor
        ? {
            'floor (s)': result.floor ? result.floor.medianMs / 1000 : null,
            'ours ÷ floor': result.floorRatio ?? null,
          }
        : {}),
      'ours peak RSS (MiB)': mib(result.ours.maxRssKib),
      'duckdb peak RSS (MiB)': mib(result.baseline.maxRssKib),
      'RSS ratio': result.memoryRatio,
      ...(withBytes ? { 'ours moved (MiB)': movedMib(result.ours.bytesMoved) } : {}),
      ...(withShare ? { 'of the files': share(result.ours.bytesMoved, result.ours.bytesInFiles) } : {}),
    })),
  );
}

/** Bytes fetched as a share of the files' bytes, e.g. '23.4 %'; null prints blank. */
function share(moved: number | undefined, whole: number | undefined): string | null {
  if (moved === undefined || whole === undefined || whole === 0) return null;
  return `${((100 * moved) / whole).toFixed(1)} %`;
}

function mib(kib: number): number {
  return Math.round(kib / 1024);
}

/** Bytes as MiB, printed with two decimals (100,000 sale lines are about 1 MiB); null prints blank. */
function movedMib(bytes: number | undefined): number | null {
  return bytes === undefined ? null : bytes / 1024 / 1024;
}
