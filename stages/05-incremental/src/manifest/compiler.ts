import type { EventWindow } from '../given/types.ts';
import type { ManifestNode } from './types.ts';

/** How one node is compiled this time. */
export interface CompileOptions {
  /** What `is_incremental()` returns (true only for an existing incremental table, not a full refresh). */
  isIncremental: boolean;
  /**
   * For a microbatch model's batch: every `ref()` / `source()` to a node with `event_time`
   * renders as a subquery filtered to this window, and `model.batch` is set.
   */
  eventTimeWindow?: EventWindow;
}

/** A node's Jinja rendered to SQL. */
export interface CompiledNode {
  /** The SQL to run: ephemeral models injected as CTEs; a SELECT for models, snapshots and tests. */
  sql: string;
  /** What `{{ log() }}` printed while rendering, in order. */
  logs: string[];
}

/**
 * Renders nodes to SQL with the project's macros and context (ref, source, this, var,
 * config, is_incremental, target…). Compilation errors are CliErrors naming the file,
 * line and column.
 */
export interface NodeCompiler {
  compile(node: ManifestNode, options: CompileOptions): CompiledNode;
}
