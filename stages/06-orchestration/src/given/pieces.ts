import type { AssetLineageEventOptions, RunEvent } from './lineage-types.ts';
import type { NextSteps, NextStepsOptions, RetryDelayPolicy } from './run-types.ts';
import type { AssetNode, BackfillOptions, Selection } from './types.ts';

/**
 * The pieces stage 6's orchestrator is built from: what exercises/06-orchestration/
 * (yours) and solutions/06-orchestration/ (the reference) both export. `pnpm stage 6
 * materialize` calls exactly these, so with `--mine` your code decides what runs.
 */
export interface OrchestrationPieces {
  /** The keys of the assets a parsed selection picks from the graph, sorted (see select-assets.ts). */
  selectAssets(graph: readonly AssetNode[], selection: Selection): string[];
  /** The partition keys a backfill must run, oldest first (see backfill-partitions.ts). */
  backfillPartitions(options: BackfillOptions): string[];
  /** One OpenLineage event for an asset step's start or end (see lineage-event.ts). */
  assetLineageEvent(options: AssetLineageEventOptions): RunEvent;
  /** What the executor starts and skips now (see next-steps.ts). */
  nextSteps(options: NextStepsOptions): NextSteps;
  /** Seconds to wait before retrying attempt `attempt`, or null when no retry is left (see retry-delay.ts). */
  retryDelay(policy: RetryDelayPolicy, attempt: number, random: () => number): number | null;
}
