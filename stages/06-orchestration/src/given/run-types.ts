// Shapes the executor shares with its two exercise pieces: next-steps (what to start and
// what to skip, each time the executor can start work) and retry-delay (how long to wait
// before trying a failed step again).

/** Where one step of a run stands, as the executor tracks it. */
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** One step of a run: a key and the steps it waits for. */
export interface StepNode {
  /** The step's key: an asset key (`dbt/fct_sales`), or a multi-asset step's name (`lake_build`). */
  key: string;
  /** The steps it is built from. A key that is not a step of the run is ignored (already built, or not selected). */
  deps: readonly string[];
}

/** What the next-steps piece is given. */
export interface NextStepsOptions {
  /** The run's steps, in the executor's order (dependencies first). */
  graph: readonly StepNode[];
  /** Every step's state, by key. */
  status: Readonly<Record<string, StepState>>;
  /**
   * Steps that succeeded but whose blocking asset check failed: they were built, yet
   * nothing downstream of them may run (Dagster's blocking checks).
   */
  blocked: readonly string[];
  /** How many steps are running now. */
  running: number;
  /** How many steps may run at once (`--concurrency`). */
  concurrency: number;
}

/** A step that will never run, and the upstream step that stopped it. */
export interface SkippedStep {
  key: string;
  /** The upstream step that failed or was blocked (not a skipped one in between). */
  because: string;
}

/** What the executor does now. */
export interface NextSteps {
  /** Steps to start now, in the graph's order. */
  start: string[];
  /** Pending steps that can never run, in the graph's order. */
  skip: SkippedStep[];
}

/** A retry policy as the retry-delay piece reads it (Dagster's RetryPolicy). */
export interface RetryDelayPolicy {
  /** Retries after the first attempt: 2 means up to 3 attempts in all. */
  maxRetries: number;
  /** The base wait, in seconds. */
  delaySeconds: number;
  /** How the wait grows with each retry; null: the same every time. */
  backoff: 'exponential' | 'linear' | null;
  /** How the wait is randomized; null: not at all. */
  jitter: 'full' | 'plus_minus' | null;
}
