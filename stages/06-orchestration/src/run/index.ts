// The executor: plans a selection into steps, runs them in dependency order with bounded
// concurrency, retries, checks, cancellation and storage writes; partitioned runs and backfills.
export { type FakeClock, fakeClock, type RunClock, systemClock } from './clock.ts';
export {
  delayPolicy,
  describeStep,
  type ExecuteRunOptions,
  executeRun,
  type RunObserver,
  type RunOutcome,
  type StepOutcome,
} from './execute-run.ts';
export { type MaterializeRunOptions, materializeRun, type RunLifecycleObserver } from './materialize-run.ts';
export {
  type MultiAsset,
  type MultiAssetContext,
  type MultiAssetOptions,
  multiAsset,
  multiAssetOf,
} from './multi-asset.ts';
export {
  type PartitionedRuns,
  type PartitionedRunsOptions,
  partitionStatus,
  planPartitionedRuns,
} from './partitioned-runs.ts';
export { type PlannedStep, type PlanRunOptions, planRun, type RunPlan } from './plan.ts';
export type { ProgressEvent } from './progress.ts';
export { type BeforeAttempt, failAssetVariable, holdStepVariable, testHooks } from './test-hooks.ts';
