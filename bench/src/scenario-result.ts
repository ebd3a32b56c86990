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
  /** Median bytes in the files a read could have fetched, when every run reported it. */
  bytesInFiles?: number;
  /** Units of work each run did (assets, statements), when every run reported the same number. */
  steps?: number;
  /** medianMs / steps: the time per asset or statement, when `steps` is known. */
  msPerStep?: number;
  runs: SideRun[];
}

/** Everything measured for one scenario, as written to the results file. */
export interface ScenarioResult {
  name: string;
  /** The variant of ours this result is for (see Scenario.variants); absent for scenarios without variants. */
  variant?: string;
  description: string;
  /** Untimed set-up before the runs (e.g. generating the input), in milliseconds; 0 without one. */
  prepareMs: number;
  ours: SideSummary;
  baseline: SideSummary;
  /** The physical floor (raw SDK + DuckDB on the same bytes), for the scenarios that have one. */
  floor?: SideSummary;
  /** ours.medianMs / baseline.medianMs: 2 means we take twice as long as raw DuckDB. */
  timeRatio: number;
  /** ours.medianMs / floor.medianMs: how far from the physical floor; absent without a floor. */
  floorRatio?: number;
  /** ours.maxRssKib / baseline.maxRssKib: 2 means we need twice the peak memory. */
  memoryRatio: number;
}

/** Summarises the runs of both sides (of ours: one variant's) into a {@link ScenarioResult}. */
export function summarise(
  scenario: { name: string; description: string },
  prepareMs: number,
  runs: Record<Side, SideRun[]>,
  variant?: string | undefined,
): ScenarioResult {
  const ours = summariseSide(runs.ours);
  const baseline = summariseSide(runs.baseline);
  const floor = runs.floor.length > 0 ? summariseSide(runs.floor) : undefined;
  return {
    name: scenario.name,
    ...(variant === undefined ? {} : { variant }),
    description: scenario.description,
    prepareMs,
    ours,
    baseline,
    ...(floor ? { floor } : {}),
    timeRatio: ours.medianMs / baseline.medianMs,
    ...(floor ? { floorRatio: ours.medianMs / floor.medianMs } : {}),
    memoryRatio: ours.maxRssKib / baseline.maxRssKib,
  };
}

function summariseSide(runs: SideRun[]): SideSummary {
  const times = runs.map((run) => run.ms);
  const moved = runs.flatMap((run) => (run.bytesMoved === undefined ? [] : [run.bytesMoved]));
  const inFiles = runs.flatMap((run) => (run.bytesInFiles === undefined ? [] : [run.bytesInFiles]));
  const steps = new Set(runs.map((run) => run.steps));
  const [onlySteps] = steps;
  const medianMs = median(times);
  return {
    medianMs,
    minMs: Math.min(...times),
    maxMs: Math.max(...times),
    maxRssKib: Math.max(...runs.map((run) => run.maxRssKib)),
    ...(moved.length > 0 && moved.length === runs.length ? { bytesMoved: median(moved) } : {}),
    ...(inFiles.length > 0 && inFiles.length === runs.length ? { bytesInFiles: median(inFiles) } : {}),
    ...(steps.size === 1 && onlySteps !== undefined && onlySteps > 0
      ? { steps: onlySteps, msPerStep: medianMs / onlySteps }
      : {}),
    runs,
  };
}
