import { renderTable } from '@mart/shared';
import type { ScenarioResult } from './scenario-result.ts';

/**
 * One row per scenario: times in seconds, memory in MiB, and the two ratios (ours ÷ DuckDB).
 * When a scenario reports the bytes ours moved to or from storage, a last column shows
 * them in MiB (blank for the scenarios that do not).
 */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const withBytes = results.some((result) => result.ours.bytesMoved !== undefined);
  return renderTable(
    results.map((result) => ({
      scenario: result.name,
      'ours (s)': result.ours.medianMs / 1000,
      'duckdb (s)': result.baseline.medianMs / 1000,
      'time ratio': result.timeRatio,
      'ours peak RSS (MiB)': mib(result.ours.maxRssKib),
      'duckdb peak RSS (MiB)': mib(result.baseline.maxRssKib),
      'RSS ratio': result.memoryRatio,
      ...(withBytes ? { 'ours moved (MiB)': movedMib(result.ours.bytesMoved) } : {}),
    })),
  );
}

function mib(kib: number): number {
  return Math.round(kib / 1024);
}

/** Bytes as MiB, printed with two decimals (100,000 sale lines are about 1 MiB); null prints blank. */
function movedMib(bytes: number | undefined): number | null {
  return bytes === undefined ? null : bytes / 1024 / 1024;
}
