// What the run storage hands out: plain objects, JSON columns already parsed.

/** Dagster's run statuses (the subset a local, in-process executor goes through). */
export type RunStatus = 'QUEUED' | 'STARTED' | 'SUCCESS' | 'FAILURE' | 'CANCELING' | 'CANCELED';

/** The statuses a run never leaves. */
export const terminalRunStatuses: readonly RunStatus[] = ['SUCCESS', 'FAILURE', 'CANCELED'];

/** The statuses of a run that some process is (or should be) working on. */
export const activeRunStatuses: readonly RunStatus[] = ['QUEUED', 'STARTED', 'CANCELING'];

/** Where one asset of a run stands. */
export type StepStatus = 'PLANNED' | 'RUNNING' | 'SUCCESS' | 'FAILURE' | 'SKIPPED';

/** A partition range, both ends included (daily keys `YYYY-MM-DD`). */
export interface PartitionRange {
  from: string;
  to: string;
}

/** JSON-serializable values, for config, payloads and metadata. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One run, as stored. */
export interface RunRecord {
  id: string;
  status: RunStatus;
  /** The selection as typed, e.g. `key:dbt/* and group:marts`. */
  selection: string;
  /** The planned assets, in execution order. */
  assetKeys: string[];
  /** One partition, or a range, or neither (an unpartitioned run). */
  partitionKey: string | undefined;
  range: PartitionRange | undefined;
  backfillId: string | undefined;
  config: Record<string, Json>;
  pid: number | undefined;
  host: string | undefined;
  createdAt: string;
  startedAt: string | undefined;
  endedAt: string | undefined;
  heartbeatAt: string | undefined;
  /** Why the run ended as it did (the failure, who canceled it, that its process died). */
  statusMessage: string | undefined;
}

/** Event types written by the storage API (Dagster's names, without the DAGSTER_ prefix). */
export type RunEventType =
  | 'RUN_ENQUEUED'
  | 'RUN_START'
  | 'RUN_SUCCESS'
  | 'RUN_FAILURE'
  | 'RUN_CANCELING'
  | 'RUN_CANCELED'
  | 'STEP_START'
  | 'STEP_RETRY'
  | 'STEP_SUCCESS'
  | 'STEP_FAILURE'
  | 'STEP_SKIPPED'
  | 'ASSET_MATERIALIZATION'
  | 'ASSET_CHECK_EVALUATION'
  | 'LOCKS_ACQUIRED'
  | 'LOCKS_RELEASED'
  | 'LOG';

/** One entry of a run's timeline. */
export interface EventRecord {
  /** Grows with every event written to the file: a reader's cursor. */
  id: number;
  runId: string;
  time: string;
  type: RunEventType;
  assetKey: string | undefined;
  partitionKey: string | undefined;
  message: string;
  payload: Record<string, Json>;
}

/** One asset of one run. */
export interface StepRecord {
  runId: string;
  assetKey: string;
  status: StepStatus;
  /** 0 before the first try; 1 for the first, 2 after one retry … */
  attempt: number;
  startedAt: string | undefined;
  endedAt: string | undefined;
  message: string | undefined;
}

/** One materialization of an asset (or of one partition of it). */
export interface MaterializationRecord {
  id: number;
  eventId: number;
  runId: string;
  assetKey: string;
  partitionKey: string | undefined;
  time: string;
  rows: number | undefined;
  durationMs: number | undefined;
  snapshotId: string | undefined;
  codeVersion: string | undefined;
  metadata: Record<string, Json>;
}

/** One evaluation of an asset check. */
export interface CheckResultRecord {
  id: number;
  eventId: number;
  runId: string;
  assetKey: string;
  checkName: string;
  partitionKey: string | undefined;
  passed: boolean;
  severity: 'WARN' | 'ERROR';
  blocking: boolean;
  time: string;
  metadata: Record<string, Json>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One log line of a run. */
export interface LogRecord {
  id: number;
  runId: string;
  time: string;
  level: LogLevel;
  assetKey: string | undefined;
  message: string;
}

/** Who holds an asset's lock. */
export interface AssetLockRecord {
  assetKey: string;
  runId: string;
  pid: number;
  host: string;
  acquiredAt: string;
}

export type BackfillPolicy = 'single_run' | 'multi_run';
export type BackfillStatus = 'REQUESTED' | 'COMPLETED' | 'FAILED' | 'CANCELED';

/** A backfill, as requested. Its progress is read from the runs and materializations. */
export interface BackfillRecord {
  id: string;
  selection: string;
  assetKeys: string[];
  /** Every partition of the range, in order. */
  partitionKeys: string[];
  range: PartitionRange;
  policy: BackfillPolicy;
  /** multi_run: how many partitions one run covers. */
  maxPartitionsPerRun: number | undefined;
  force: boolean;
  status: BackfillStatus;
  createdAt: string;
  updatedAt: string;
}

/**
 * Where one partition of a backfill stands: every asset materialized in one of the
 * backfill's runs (`MATERIALIZED`), a run of it covering the partition still going
 * (`IN_PROGRESS`), the last run covering it ended without materializing every asset
 * (`FAILED`), or no run has covered it yet (`MISSING`).
 */
export type BackfillPartitionStatus = 'MISSING' | 'IN_PROGRESS' | 'MATERIALIZED' | 'FAILED';

export interface BackfillProgress {
  backfill: BackfillRecord;
  /** Partition key → status, in the backfill's order. */
  partitions: Map<string, BackfillPartitionStatus>;
  counts: Record<BackfillPartitionStatus, number>;
  /** The partitions a resumed backfill still has to run (missing and failed). */
  remaining: string[];
}
