// What other packages reuse from stage 6: the stage's commands, the executor (plan, run,
// retries, checks, cancellation, partitioned runs and backfills) and the course's
// materializers (how stages 2–5 become steps), e.g. for the benchmarks and the web UI.
export { AssetGraph, defineAsset } from './assets/index.ts';
export * from './materializers/index.ts';
export { loadOrchestrationPieces, type OrchestrationPieces } from './pieces.ts';
export * from './run/index.ts';
export { stage } from './stage.ts';
export { RunStorage } from './storage/index.ts';
