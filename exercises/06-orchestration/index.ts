// Stage 6's exercise pieces (see OrchestrationPieces in stages/06-orchestration/src/given/).
// The stage loads this file from solutions/ (the reference) or exercises/ (--mine).
export { backfillPartitions } from './backfill-partitions.ts';
export { assetLineageEvent } from './lineage-event.ts';
export { nextSteps } from './next-steps.ts';
export { retryDelay } from './retry-delay.ts';
export { selectAssets } from './select-assets.ts';
