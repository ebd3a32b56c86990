import type { MartPaths } from '@mart/shared';

/** Where a build writes before the gate: data/warehouse/stage-NN.candidate.duckdb. */
export function candidatePath(paths: MartPaths, stage: number): string {
  return paths.warehouse(stage).replace(/\.duckdb$/, '.candidate.duckdb');
}
