// Given code of stage 6: the shapes the exercise pieces share with the orchestrator, the
// contract they fulfil, and small helpers. exercises/ and solutions/ import it
// (`@mart/stage-06-orchestration/given`); it is never copied.
export { parseSelection, SelectionError } from '../selection/parse-selection.ts';
export * from './lineage-types.ts';
export { addDays, isPartitionKey } from './partition-keys.ts';
export type { OrchestrationPieces } from './pieces.ts';
export type * from './run-types.ts';
export type * from './types.ts';
