// What executing nodes produces: one result per node, shaped like an entry of dbt's
// run_results.json (camelCase here, snake_case when written by artifacts/run-results.ts),
// and the events a command prints as live progress.
import type { Params, Row } from '@mart/shared';
import type { EventWindow } from '../given/types.ts';
import type { ManifestNode } from '../manifest/types.ts';

/**
 * dbt's statuses: RunStatus for models, seeds and snapshots (`success`, `error`,
 * `skipped`, `partial success` for a microbatch model with failed batches) and TestStatus
 * for data tests (`pass`, `warn`, `fail`, `error`, `skipped`).
 */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'partial success' | 'pass' | 'fail' | 'warn';

/** One phase of a node's work, as dbt times it. Times are UTC ISO strings ending in `Z`. */
export interface TimingInfo {
  name: 'compile' | 'execute';
  startedAt: string;
  completedAt: string;
}

/** What the database said about the node's main statement (dbt's `adapter_response`). */
export interface AdapterResponse {
  /** `OK`, or `INSERT 3` / `CREATE 3` for seeds. */
  _message?: string;
  code?: string;
  /** Rows the node wrote: created (table, seed), applied (incremental), changed (snapshot). */
  rows_affected?: number;
}

/** A microbatch model's batches by outcome, each `[start, end]` (dbt's `batch_results`). */
export interface BatchResults {
  successful: Array<[string, string]>;
  failed: Array<[string, string]>;
}

/** The first failing rows of a data test, as written to `<target>/samples/<alias>.csv`. */
export interface FailingRowsSample {
  columns: string[];
  rows: Row[];
  /** Absolute path of the CSV file the sample was written to. */
  path: string;
}

/** A statement a node ran, and the values bound to its `$1, $2 …` (none for most). */
export interface ExecutedStatement {
  sql: string;
  params?: Params;
}

/** One node's outcome. */
export interface NodeResult {
  /** The node (its name, type and files are there). */
  node: ManifestNode;
  uniqueId: string;
  status: NodeStatus;
  /** `compile` then `execute`; empty for skipped nodes, without `execute` when execution threw. */
  timing: TimingInfo[];
  /** `Thread-1 (worker)`…; `main` for nodes skipped without running. */
  threadId: string;
  /** Seconds, compile + execute. */
  executionTime: number;
  adapterResponse: AdapterResponse;
  /**
   * `OK` (plus warnings, one per line), dbt's error text (`Database Error in model x
   * (models/x.sql)` then the database's message indented), a test's `Got 3 results,
   * configured to fail if != 0`, why a node was skipped; null for a passing test.
   */
  message: string | null;
  /** Tests: failing rows counted by fail_calc (0 on pass); microbatch: failed batches; else null. */
  failures: number | null;
  /** Whether the node's SQL was compiled (null for seeds, which have none). */
  compiled: boolean | null;
  /** The compiled SQL (the last batch's for microbatch models); null for seeds and skipped nodes. */
  compiledCode: string | null;
  /** `"db"."schema"."alias"`; null for tests (unless they store failures). */
  relationName: string | null;
  batchResults: BatchResults | null;
  /** Same number as `adapterResponse.rows_affected`, null when there is none (views, tests). */
  rowsAffected: number | null;
  /** Every statement the node sent, in order, with its bound values: what `target/run/…` shows. */
  executedSql: ExecutedStatement[];
  /** What `{{ log() }}` printed while the node compiled. */
  logs: string[];
  /** Warnings also appended to `message`, e.g. "SQL changed since the last full build". */
  warnings: string[];
  /** Tests that found failing rows: the first 20 of them. */
  sample: FailingRowsSample | null;
  /** The error behind an `error` status, for a command that prints stacks of our own bugs. */
  cause?: unknown;
}

/** Live progress, for the command to print as nodes start and finish. */
export type NodeEvent =
  | {
      type: 'started';
      node: ManifestNode;
      /** 1-based position in the run's order, and how many nodes the run has. */
      index: number;
      total: number;
      threadId: string;
    }
  | {
      type: 'batch';
      node: ManifestNode;
      window: EventWindow;
      /** 1-based batch number, and how many batches the model runs. */
      batch: number;
      batches: number;
      status: 'success' | 'error';
      rows: number | null;
      message: string | null;
    }
  | {
      type: 'finished';
      node: ManifestNode;
      index: number;
      total: number;
      result: NodeResult;
    };
