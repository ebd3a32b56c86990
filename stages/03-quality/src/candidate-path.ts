import { warehousePath } from '@mart/shared';

/** Where a build writes before the gate: data/warehouse/stage-NN.candidate.duckdb. */
export function candidatePath(stage: number): string {
  return warehousePath(stage).replace(/\.duckdb$/, '.candidate.duckdb');
}
