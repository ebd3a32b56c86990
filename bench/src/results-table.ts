import { renderTable } from '@mart/shared';
import type { ScenarioResult } from './scenario-result.ts';

/** One row per scenario: times in seconds, memory in MiB, and the two ratios (ours ÷ DuckDB). */
export function resultsTable(results: readonly ScenarioResult[]): string {
  return renderTable(
    results.map((result) => ({
      scenario: result.name,
      'ours (s)': result.ours.medianMs / 1000,
      'duckdb (s)': result.baseline.medianMs / 1000,
      'time ratio': result.timeRatio,
      'ours peak RSS (MiB)': mib(result.ours.maxRssKib),
      'duckdb peak RSS (MiB)': mib(result.baseline.maxRssKib),
      'RSS ratio': result.memoryRatio,
    })),
  );
}

function mib(kib: number): number {
  return Math.round(kib / 1024);
}
