import type { Side } from './scenario.ts';
import type { SideRun } from './side-run.ts';
import { median } from './statistics.ts';

/** One side's runs and the two figures reported for them. */
export interface SideSummary {
  /** Median wall time of the work, in milliseconds. */
  medianMs: number;
  /** Fastest and slowest run, in milliseconds: how noisy the machine was. */
  minMs: number;
  maxMs: number;
  /** Highest peak RSS over the runs, in KiB. */
  maxRssKib: number;
  /** Median bytes moved to or from storage, when every run reported it; absent otherwise. */
  bytesMoved?: number;
  runs: SideRun[];
}

/** Everything measured for one scenario, as written to the results file. */
export interface ScenarioResult {
  name: string;
  description: string;
  /** Untimed set-up before the runs (e.g. generating the input), in milliseconds; 0 without one. */
  prepareMs: number;
  ours: SideSummary;
  baseline: SideSummary;
  /** ours.medianMs / baseline.medianMs: 2 means we take twice as long as raw DuckDB. */
  timeRatio: number;
  /** ours.maxRssKib / baseline.maxRssKib: 2 means we need twice the peak memory. */
  memoryRatio: number;
}

/** Summarises the runs of both sides into a {@link ScenarioResult}. */
export function summarise(
  scenario: { name: string; description: string },
  prepareMs: number,
  runs: Record<Side, SideRun[]>,
): ScenarioResult {
  const ours = summariseSide(runs.ours);
  const baseline = summariseSide(runs.baseline);
  return {
    name: scenario.name,
    description: scenario.description,
    prepareMs,
    ours,
    baseline,
    timeRatio: ours.medianMs / baseline.medianMs,
    memoryRatio: ours.maxRssKib / baseline.maxRssKib,
  };
}

function summariseSide(runs: SideRun[]): SideSummary {
  const times = runs.map((run) => run.ms);
  const moved = runs.flatMap((run) => (run.bytesMoved === undefined ? [] : [run.bytesMoved]));
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    maxRssKib: Math.max(...runs.map((run) => run.maxRssKib)),
    ...(moved.length > 0 && moved.length === runs.length ? { bytesMoved: median(moved) } : {}),
    runs,
  };
}
